#include "ui/controller/compute_thread.h"

ComputeThread::ComputeThread(QObject* parent)
    : QObject(parent), worker_(new QObject), engine_(std::make_unique<mimo::ExplorerEngine>())
{
    thread_.setObjectName("mimo-compute");
    worker_->moveToThread(&thread_);
    thread_.start();
}

ComputeThread::~ComputeThread()
{
    thread_.quit();
    thread_.wait();
    delete worker_; // after the thread has stopped, so no job is running; queued jobs go with it
}

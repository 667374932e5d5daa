#pragma once
// A desktop shares its cores. When other programs keep some busy, OpenMP threads spinning at
// their barriers wait for a thread that is not running: measured on 2 cores with one `yes`
// beside `mimo bench`, throughput fell from about 1,100 to 179 images/s. So before each unit of
// work (a batch, a training step, an explorer job) the computing thread calls
// adaptThreadsToLoad(), which uses the cores other programs leave free: at least one, at most
// the ceiling initialiseCompute() set. A count the user chose (MIMO_THREADS, OMP_NUM_THREADS,
// --threads) is fixed and never adapted.
namespace mimo {

// The count to use on `cores` cores when others keep `otherCores` of them busy, within
// [1, ceiling]: half a core of others' load costs one thread.
int threadsForLoad(int ceiling, int cores, double otherCores);

void setThreadCeiling(int threads, bool fixed);
int threadCeiling();

// On the calling thread (OpenMP thread counts are per thread); the load is measured since this
// thread's previous call, at least a quarter second apart (earlier calls keep the count).
// Returns the count in effect.
int adaptThreadsToLoad();

} // namespace mimo

#pragma once
#include <QWidget>

// What the window shows before any model is loaded: what the tool is and what to do next.
class EmptyStateWidget : public QWidget {
    Q_OBJECT
public:
    explicit EmptyStateWidget(QWidget* parent = nullptr);
};

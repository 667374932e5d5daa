#pragma once
// A combo box whose current entry may be longer than the box (a model's name with its
// accuracy per N): the box shows it elided with "…" instead of clipped mid-letter, and its
// tooltip then gives the whole entry. A tooltip set with setBaseToolTip() (what the box is
// for) stays, below the entry.
#include <QComboBox>

class ElidingComboBox : public QComboBox {
    Q_OBJECT
public:
    explicit ElidingComboBox(QWidget* parent = nullptr);

    void setBaseToolTip(const QString& text);
    bool isElided() const; // the current entry does not fit the box

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    int textRoom() const; // the width the current entry may take
    void updateToolTip();

    QString baseToolTip_;
};

#pragma once
// A one-line label for names that can be longer than the room they get (a slot's source, a
// file name): it shows as much as fits, ends with "…" when it cuts, and then carries the
// whole text in its tooltip, so nothing is lost silently. text() is what is shown;
// fullText() is what was set.
#include <QLabel>

class ElidedLabel : public QLabel {
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget* parent = nullptr);

    void setFullText(const QString& text);
    const QString& fullText() const { return fullText_; }
    bool isElided() const { return elided_; }

    QSize minimumSizeHint() const override; // a few characters: the rest is elided, not clipped
    QSize sizeHint() const override;        // the whole text

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override; // font changes elide again

private:
    void elide();

    QString fullText_;
    bool elided_ = false;
};

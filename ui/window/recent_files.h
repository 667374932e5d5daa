#pragma once
// The most recently opened model files, kept in QSettings, as an "Open Recent" menu.
#include <QObject>
#include <QStringList>

class QMenu;

class RecentFiles : public QObject {
    Q_OBJECT
public:
    RecentFiles(const QString& settingsKey, QMenu* menu, QObject* parent = nullptr);

    void add(const QString& path);
    void clear();
    QStringList files() const;

Q_SIGNALS:
    void openRequested(const QString& path);

private:
    void rebuildMenu();

    QString key_;
    QMenu* menu_;
    static constexpr int kMaximum = 10;
};

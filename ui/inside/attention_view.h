#pragma once
// MIMOFormer attention for a chosen sequence (slot), layer and head: where it attends in
// superposition beside where it attends alone, and the difference, over its real tokens.
// Symbolic sequences (ListOps, text) as token-by-token maps with the tokens on both axes,
// zoomable and scrollable; pixel sequences also on the image itself: click a pixel to choose
// the query and see its attention laid over the picture, in superposition and alone.
#include "core/explore/inspection_types.h"
#include "ui/export/export_item.h"

#include <QList>
#include <QWidget>

class PixelAttentionWidget;
class QComboBox;
class QLabel;
class QScrollArea;
class QStackedWidget;
class QToolButton;
class TokenMapWidget;

class AttentionView : public QWidget {
    Q_OBJECT
public:
    enum class Display { OnTheImage, AllMaps, Superposed, Alone, Difference };

    explicit AttentionView(QWidget* parent = nullptr);

    // The choices offered (keeps the current ones where they still exist).
    void setChoices(int slots, int layers, int heads);
    void setMaps(const mimo::AttentionMaps& maps);
    void clear(const QString& message);
    int slot() const;
    int layer() const;
    void selectLayer(int layer); // from 0; ignored outside the choices
    int head() const;
    const mimo::AttentionMaps& maps() const { return maps_; }

    // What is shown: on the image (pixel sequences only), the three maps or one of them.
    void setDisplay(Display display);
    Display display() const;
    // The query token (row of the maps, pixel of the image): the one whose attention
    // superposition changes most until people choose another.
    void setQuery(int token);
    int query() const { return query_; }
    // Maps: cells fitted to the room (the default) or a chosen size, in steps of a quarter.
    void zoomIn();
    void zoomOut();
    void zoomToFit();      // each map whole in view
    void zoomToReadable(); // the default: every token named, at least the room's fit
    bool fitsMaps() const { return zoomCell_ == 0 && fitWhole_; }

    // The token maps: in superposition, alone, difference.
    QList<TokenMapWidget*> tokenMaps() const { return {superposedMap_, aloneMap_, differenceMap_}; }
    // The query's attention on the image: in superposition, alone, difference.
    QList<PixelAttentionWidget*> imageViews() const { return {superposedImage_, aloneImage_, differenceImage_}; }
    QScrollArea* mapsArea() const { return mapsScroll_; }
    QString summaryText() const;
    QString queryText() const;

    // What is shown, each with its data as CSV; none while no maps are shown.
    QList<ExportItem> exportItems() const;

Q_SIGNALS:
    void selectionChanged(int slot, int layer, int head);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override; // the maps' room changes

private:
    void fillDisplayChoices();
    void applyDisplay();
    void applyColours();
    void applyZoom();
    void showQuery();
    int mostChangedQuery() const;
    QString tokenName(int token) const; // its label, or its number where there is none
    ExportItem mapItem(int part, bool onImage) const; // 0: in superposition, 1: alone, 2: difference
    bool isPixelSequence() const { return maps_.imageWidth > 0 && maps_.imageHeight > 0; }

    mimo::AttentionMaps maps_;
    QComboBox* slot_ = nullptr;
    QComboBox* layer_ = nullptr;
    QComboBox* head_ = nullptr;
    QComboBox* display_ = nullptr;
    QComboBox* contrast_ = nullptr;
    QToolButton* zoomOut_ = nullptr;
    QToolButton* zoomFit_ = nullptr;
    QToolButton* zoomIn_ = nullptr;
    QLabel* message_ = nullptr;
    QLabel* summary_ = nullptr;
    QLabel* hint_ = nullptr;
    QStackedWidget* pages_ = nullptr;
    QScrollArea* mapsScroll_ = nullptr;
    QWidget* mapsCanvas_ = nullptr;
    QList<QLabel*> mapTitles_;
    TokenMapWidget* superposedMap_ = nullptr;
    TokenMapWidget* aloneMap_ = nullptr;
    TokenMapWidget* differenceMap_ = nullptr;
    QWidget* imagePage_ = nullptr;
    PixelAttentionWidget* superposedImage_ = nullptr;
    PixelAttentionWidget* aloneImage_ = nullptr;
    PixelAttentionWidget* differenceImage_ = nullptr;
    int zoomCell_ = 0;      // 0: from the room (whole, or readable)
    bool fitWhole_ = false;
    int query_ = -1;
    bool queryChosen_ = false; // by people: kept while the sequence stays the same length
};

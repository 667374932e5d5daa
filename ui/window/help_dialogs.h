#pragma once
// The Help menu's pages: keyboard shortcuts generated from the menus' actions, and About
// (versions, compute backend, the model's provenance).
class ExplorerController;
class QMenuBar;
class QWidget;

void showShortcutHelp(QWidget* parent, QMenuBar* menus);
void showAboutBox(QWidget* parent, const ExplorerController& controller);

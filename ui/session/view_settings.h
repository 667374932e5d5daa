#pragma once
// The view settings a session keeps: every named control under a widget (combo boxes, check
// boxes, spin boxes, sliders, tabs), keyed by the chain of object names that leads to it
// ("inside/activations/layer"). Unnamed controls are not view settings. Applying sets what
// still exists and fits (an item missing from a combo box is skipped), so a session written by
// another version still opens.
#include <map>
#include <set>
#include <string>

class QWidget;

std::map<std::string, std::string> captureViewSettings(const QWidget* root);
// Returns how many settings were applied; their keys go to `applied` when given.
int applyViewSettings(QWidget* root, const std::map<std::string, std::string>& settings,
                      std::set<std::string>* applied = nullptr);

#pragma once
// Where a newcomer reads on: the MIMONets paper and the documentation shipped with the
// explorer (docs/ beside the sources in a build, share/doc/mimo-explorer/docs once installed).
// The welcome bar and the "What is a MIMONet?" page show the same links.
#include <QString>
#include <QUrl>

// The paper's abstract page on arXiv.
QUrl paperUrl();
// A page of the documentation (e.g. "mimonets.md") as a local file; empty when not found.
QUrl documentationUrl(const QString& page);
// "The paper (…) · How the explorer computes it · Using the explorer" as rich text links
// (brief: the paper named by its arXiv number only); pages that are not found are left out.
QString firstContactLinks(bool brief = false);

#pragma once
// Text for a count that is right for one and for many: counted(1, tr("1 slot"), tr("%1 slots"))
// is "1 slot", with 3 it is "3 slots" (never "3 slot(s)"; the app loads no translations that
// would resolve tr()'s %n plurals).
#include <QString>

inline QString counted(qint64 n, const QString& one, const QString& many)
{
    return n == 1 ? one : many.arg(n);
}

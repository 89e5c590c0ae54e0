/* i18n.h - gettext for the front ends (core and effects never translate;
 * they mark their formats with N_() and diag.h's hook translates them). */
#ifndef CGISETUP_I18N_H
#define CGISETUP_I18N_H

#if ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#else
#define _(s) (s)
#define gettext(s) (s)
#define textdomain(d) ((void)(d))
#define bindtextdomain(d, dir) ((void)(d), (void)(dir))
#endif

#endif

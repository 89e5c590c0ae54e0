/* i18n.h - gettext for the front ends (core and effects never translate;
 * they mark their formats with N_(); the front end translates a diag with
 * diag_message(), see output_message()). */
#ifndef CGISETUP_I18N_H
#define CGISETUP_I18N_H

#if ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#else
#define _(s) (s)
#define gettext(s) (s)
#define ngettext(s, p, n) ((n) == 1 ? (s) : (p))
#define textdomain(d) ((void)(d))
#define bindtextdomain(d, dir) ((void)(d), (void)(dir))
#endif

#endif

/* scan.h - split Apache configuration text into directives.
 *
 * A small, forgiving reader of httpd's line syntax, used for detection only
 * (which files are included, which modules are loaded, where the document
 * root is). Editing is done by Augeas; this scanner never writes. It follows
 * server/util_cfgtree.c's rules where they matter to us: one directive per
 * logical line, a trailing backslash continues the line, '#' starts a comment
 * only at the beginning of a line, arguments may be quoted with " or '.
 *
 * Calling sequence:
 *	scan_text(text, len, callback, userdata);
 * The callback sees one struct scan_item at a time, in file order, and may
 * stop the scan by returning a negative value.
 */
#ifndef CGISETUP_SCAN_H
#define CGISETUP_SCAN_H

#include <stddef.h>

enum scan_kind {
	SCAN_DIRECTIVE,
	SCAN_SECTION_OPEN,  /* <Name args>: name without '<' */
	SCAN_SECTION_CLOSE, /* </Name> */
	SCAN_COMMENT,       /* text after '#', leading blanks removed */
};

struct scan_item {
	enum scan_kind kind;
	unsigned line;    /* 1-based line where the logical line starts */
	const char *name; /* directive or section name; comment text */
	char **args;      /* unquoted arguments, NULL-terminated */
};

typedef int (*scan_callback)(const struct scan_item *item, void *userdata);

int scan_text(const char *text, size_t len, scan_callback cb, void *userdata);

/* Split ARGS as httpd does (quotes removed, backslash escapes kept). */
int scan_split_args(const char *args, char ***ret);

/* Remove surrounding quotes of one argument as written, in place. */
char *scan_unquote(char *arg);

#endif

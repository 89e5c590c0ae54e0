/* textedit.h - the one edit cgisetup makes on text rather than through Augeas.
 *
 * Augeas matches formatting ("skeletons") to tree nodes by their position
 * among siblings with the same label, so turning a "#LoadModule ..." comment
 * node into a directive re-formats every later comment and directive of the
 * same section (measured on the upstream httpd.conf: 60 changed lines).
 * Uncommenting is therefore done on the bytes of that one line, which keeps
 * the file lossless: only the '#' and the blanks after it go away.
 */
#ifndef CGISETUP_TEXTEDIT_H
#define CGISETUP_TEXTEDIT_H

/* In TEXT, uncomment the ORDINAL-th (from 1) commented-out
 * "LoadModule MODULE path" line, counted as model.h counts them.
 * -ENOENT when there is no such line. */
int textedit_uncomment_loadmodule(const char *text, const char *module, unsigned ordinal,
				  char **ret);

/* NEW_TEXT with the line endings of OLD_TEXT: when every line of OLD_TEXT
 * ends with CR LF, the lines cgisetup added (LF only, as Augeas writes
 * them) get CR LF too, so a Windows-edited file stays consistent. A copy;
 * NULL when out of memory. */
char *textedit_line_endings_like(const char *old_text, const char *new_text);

/* NEW_TEXT with the lines it adds to OLD_TEXT (Augeas writes them without
 * indentation) indented the way OLD_TEXT indents its sections: one step
 * per open section, the step taken from the file itself. Lines that keep
 * blanks of their own, and every line of a file that indents nothing, are
 * left as they are. A copy; NULL when out of memory. */
char *textedit_indent_like(const char *old_text, const char *new_text);

#endif

/* template.h - fill @NAME@ placeholders of the files in templates/.
 *
 * The templates are compiled into the program (see Makefile.am), so an
 * installed cgisetup never depends on finding its data files at run time.
 */
#ifndef CGISETUP_TEMPLATE_H
#define CGISETUP_TEMPLATE_H

/* The text hello.py prints only when it runs (see templates/hello.py.in). */
#define TEMPLATE_HELLO_PROOF "cgisetup-ran-42042"

extern const char template_hello_py[];

/* Replace every @NAME@ of TEXT by its value in VARS (name, value, ...,
 * NULL). An unknown @NAME@ is kept as written. */
char *template_render(const char *text, const char *const *vars);

#endif

/* scan-dump.c - print what the core's scanner (src/core/scan.c) reads in a
 * configuration file, one item per line: "DEPTH<TAB>D|S<TAB>NAME<TAB>ARG...",
 * for tests/tree/readers.sh, which compares it with what Augeas's Httpd
 * lens reads in the same file. Comments and section ends are left out;
 * arguments lose one layer of surrounding quotes, as Apache reads them. */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "cgisetup/scan.h"
#include "cgisetup/util.h"

static unsigned depth;

static int
print_item(const struct scan_item *it, void *userdata)
{
	if (it->kind == SCAN_COMMENT)
		return 0;
	if (it->kind == SCAN_SECTION_CLOSE) {
		if (depth)
			depth--;
		return 0;
	}
	printf("%u\t%c\t%s", depth, it->kind == SCAN_DIRECTIVE ? 'D' : 'S', it->name);
	for (size_t i = 0; it->args[i]; i++)
		printf("\t%s", it->args[i]);
	putchar('\n');
	if (it->kind == SCAN_SECTION_OPEN)
		depth++;
	return 0;
}

int
main(int argc, char **argv)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[8192];
	size_t n;
	FILE *f;
	int r;

	if (argc != 2 || !(f = fopen(argv[1], "r"))) {
		fprintf(stderr, "usage: scan-dump FILE\n");
		return 2;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (strbuf_add(&sb, buf, n) < 0)
			return 1;
	fclose(f);
	r = scan_text(sb.buf ? sb.buf : "", sb.len, print_item, NULL);
	strbuf_release(&sb);
	return r < 0 ? 1 : 0;
}

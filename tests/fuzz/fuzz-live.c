/* fuzz-live.c - the parsers of what a running Apache prints: -V,
 * -t -D DUMP_RUN_CFG, -t -D DUMP_INCLUDES, -M (DUMP_MODULES). Every input
 * goes through all four, each into a fresh struct live, then all four into
 * one (the order probe.c reads them in). */
#include "config.h"

#include "cgisetup/live.h"
#include "fuzz.h"

static int (*const parsers[])(struct live *, const char *) = {
	live_parse_version,
	live_parse_run_cfg,
	live_parse_includes,
	live_parse_modules,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size);
	struct live all = { 0 };

	for (size_t i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++) {
		struct live one = { 0 };

		(void)parsers[i](&one, text);
		live_release(&one);
		(void)parsers[i](&all, text);
	}
	live_release(&all);
	free(text);
	return 0;
}

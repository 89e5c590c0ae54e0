/* fixture.h - configurations of every layout family, as text, for the
 * unit tests of the model, the layout and the plan.
 *
 * A host fixture is a set of configuration files: the first is the main
 * config, the others are read where an Include names their pattern (in
 * table order, as a sorted glob would). fixture_model() feeds them through
 * scan_text() and model_feed() the way probe.c reads real files. */
#ifndef CGISETUP_TESTS_FIXTURE_H
#define CGISETUP_TESTS_FIXTURE_H

#include "cgisetup/layout.h"
#include "cgisetup/model.h"

struct conf_file {
	const char *pattern; /* the Include pattern that reads it; NULL for the main config */
	const char *path;
	const char *text;
};

#define FIXTURE_MAX_FILES 8

struct host_fixture {
	const char *name;
	const char *family;
	const char *defines[4]; /* -D NAME from the service's options */
	const char *vars[8];    /* NAME, value, ...: envvars */
	struct conf_file files[FIXTURE_MAX_FILES];
};

extern const struct host_fixture host_fixtures[];
extern const size_t n_host_fixtures;

/* The fixture called NAME (aborts when there is none: a typo in a test). */
const struct host_fixture *host_fixture(const char *name);

/* Feed the files of H into M (already initialised); *RET_INCLUDES (may be
 * NULL) gets every Include pattern the model asked for, in order. */
int fixture_feed(const struct host_fixture *h, struct model *m, char ***ret_includes);

/* model_init() with the family's server root, the defines and variables of
 * H, then fixture_feed(). */
int fixture_model(const struct host_fixture *h, struct model *m, char ***ret_includes);

/* fixture_model() then layout_build() without a live server. */
int fixture_layout(const struct host_fixture *h, struct model *m, struct layout *l);

#endif

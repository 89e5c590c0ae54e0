/* output-check.h - what --check prints (src/ui/output-check.c). */
#ifndef CGISETUP_OUTPUT_CHECK_H
#define CGISETUP_OUTPUT_CHECK_H

#include <stdio.h>

#include "cgisetup/diagnose.h"
#include "cgisetup/json.h"
#include "cgisetup/pipeline.h"
#include "cgisetup/request.h"

/* The findings and a summary line, or the JSON document (--json). */
void output_check(const struct request *req, const struct diagnose *dg);
/* "checked 3 scripts in 1 directory: 1 problem, 0 warnings" (translated;
 * NULL when out of memory). */
char *output_check_summary(const struct diagnose *dg);
/* The findings alone, translated, one line each and the fix under a
 * problem (the diagnosis of a failed verification). */
void output_check_findings(const struct findings *f, FILE *out);

/* The findings of a failed apply's HTTP check (none when it did not fail
 * there): its answer and error-log lines through check_log(). 0 or -ENOMEM;
 * release *RET. */
int output_check_verification_findings(const struct pipeline *p, struct findings *ret);
/* The findings as the JSON array KEY (English, the keys of
 * schemas/check.schema.json's finding). */
void output_check_json_findings(struct json *j, const char *key, const struct findings *f);
/* A finding's cause (FIX false) or fix, translated; NULL when it has none. */
char *output_check_finding_text(const struct finding *x, bool fix);
/* After a failed apply: when its HTTP check failed, the diagnosis of that
 * answer and its error-log lines, on stderr, before the rollback report. */
void output_check_verification(const struct pipeline *p);

#endif

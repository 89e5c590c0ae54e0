/* output-check.h - what --check prints (src/ui/output-check.c). */
#ifndef CGISETUP_OUTPUT_CHECK_H
#define CGISETUP_OUTPUT_CHECK_H

#include <stdio.h>

#include "cgisetup/diagnose.h"
#include "cgisetup/pipeline.h"
#include "cgisetup/request.h"

/* The findings and a summary line, or the JSON document (--json). */
void output_check(const struct request *req, const struct diagnose *dg);
/* The findings alone, translated, one line each and the fix under a
 * problem (the diagnosis of a failed verification). */
void output_check_findings(const struct findings *f, FILE *out);

/* After a failed apply: when its HTTP check failed, the diagnosis of that
 * answer and its error-log lines, on stderr, before the rollback report. */
void output_check_verification(const struct pipeline *p);

#endif

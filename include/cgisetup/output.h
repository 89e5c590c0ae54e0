/* output.h - what the command line prints: human text (translated) on
 * stdout/stderr, or one JSON document on stdout with --json (never
 * translated). Shared by the front ends for describing plans. */
#ifndef CGISETUP_OUTPUT_H
#define CGISETUP_OUTPUT_H

#include "cgisetup/pipeline.h"
#include "cgisetup/probe.h"
#include "cgisetup/undo.h"

/* Every --json document starts with "schema_version": this number. Raise
 * it when a field is renamed, removed or changes its meaning (adding a
 * field does not), and update schemas/ (cgisetup(8), JSON OUTPUT). */
#define OUTPUT_JSON_SCHEMA_VERSION 1

/* One line describing change C, translated ("create directory '/srv/cgi'"). */
char *output_describe(const struct change *c);
/* How Apache took the change: "reload, then reload (systemd,
 * apache2.service): graceful, no connection dropped" (translated). */
char *output_activation_text(const struct activation *act);
/* A restart_result's HOW in words: "systemd, apache2.service" for a
 * D-Bus method (its name stays in --json only), the quoted command
 * otherwise ("'apache2ctl graceful'"). */
char *output_how(const char *how);
/* Why the path went past its first job, or NULL. */
const char *output_activation_why(const struct activation *act, bool forced);
/* "remove file 'PATH'", "restore 'PATH'", ... for an undo record,
 * malloc'ed, or NULL. */
char *output_undo_action(enum txn_op op, const char *path);
/* The warning of an apply whose HTTP check met the admin's access rule
 * (CHECK_RESTRICTED: configured, not proven), translated unless ENGLISH
 * (--json); NULL when the check proved the change or none ran. */
char *output_not_proven(const struct pipeline_result *res, bool english);
/* The command that activates a --no-restart change by hand. */
char *output_advice(const struct pipeline_result *res);
/* The name of a pipeline step, translated ("config test"). */
const char *output_step_name(enum pipeline_step step);
/* D's message, translated (diag.h: the msgid with the same arguments);
 * for the human front ends only, --json keeps d->msg in English. Written
 * to BUF (DIAG_MSG_MAX bytes). */
const char *output_message(const struct diag *d, char *buf);
/* A message of a list (warnings, rollback and recovery failures), translated
 * when it can be (diag_text); BUF holds DIAG_MSG_MAX bytes. */
const char *output_text(const char *english, char *buf);

void output_error(const struct request *req, const struct diag *d, const struct pipeline *p);
void output_detect(const struct request *req, const struct host *h);
/* Print S, then spaces up to WIDTH terminal columns (at least one): printf's
 * %-*s counts bytes, which misaligns a translated label with an accent. */
void output_padded(const char *s, int width);
void output_dry_run(const struct pipeline *p);
void output_unchanged(const struct pipeline *p);
/* After a failed undo that was rolled back: what to do next (translated,
 * allocated), NULL when the rollback itself failed. */
char *output_undo_next(const struct undo *u);
void output_activated(const struct pipeline *p);
void output_applied(const struct pipeline *p);
const struct reporter *output_reporter(const struct request *req);

void output_undo_nothing(const struct undo *u);
void output_undo_preview(const struct undo *u);
void output_undone(const struct undo *u);
/* --undo ID --forget: the entry was dropped. */
void output_forgotten(const struct undo *u);
void output_undo_error(const struct undo *u, const struct diag *d);
void output_status(const struct undo *u);
/* On stderr, after the report: a stopping signal came during the work and
 * the work was finished first (UNDO: the work was an undo). */
void output_interrupted(bool undo);

#endif

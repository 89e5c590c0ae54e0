/* wizard-dir.c - screen 2: the CGI directory, its URL path, the
 * extensions and hello.py.
 *
 * The directory proposed is the distribution's customary one
 * (layout.family->cgi_dir) unless --dir gave one. Every key that changes
 * a field runs request_validate() (and request_set_exts()) on a scratch
 * copy of the request, then plan_url_path() on it, so the user reads the
 * very message --dir or --url-path would print, and the URL path the
 * directory will be served at, while typing. Next copies the fields into
 * the real request, validates it again and runs pipeline_prepare().
 */
#include "config.h"

#include <errno.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "cgisetup/fsops.h"
#include "cgisetup/i18n.h"
#include "cgisetup/output.h"
#include "cgisetup/util.h"
#include "wizard-int.h"

enum {
	FOCUS_SITE = WIZ_DIR_N_FIELDS, /* only when the configuration names vhosts */
	FOCUS_HELLO,
	FOCUS_BACK,
	FOCUS_NEXT,
	FOCUS_CANCEL,
	N_FOCUS,
};

static const char *const labels[WIZ_DIR_N_FIELDS] = {
	N_("Directory:"),
	N_("URL path:"),
	N_("Extensions:"),
};

static const char *const hints[WIZ_DIR_N_FIELDS] = {
	N_("an absolute path, created when missing, e.g. /srv/cgi"),
	N_("empty: chosen from the directory"),
	N_("run as CGI scripts, comma-separated, e.g. .py,.cgi"),
};

static const char *const buttons[] = { N_("Back"), N_("Next"), N_("Cancel") };

static const char *
field(const struct wiz *w, int i)
{
	return w->dir.fields[i].text ? w->dir.fields[i].text : "";
}

static int
set_string(char **dst, const char *value)
{
	char *v = value && *value ? strdup(value) : NULL;

	if (value && *value && !v)
		return -ENOMEM;
	free(*dst);
	*dst = v;
	return 0;
}

/* Copy the fields into REQ and check them as the command line does. */
static int
fill_request(const struct wiz *w, struct request *req, struct diag *d)
{
	int r = set_string(&req->dir, field(w, WIZ_DIR_FIELD_DIR));

	if (r >= 0)
		r = set_string(&req->url_path, field(w, WIZ_DIR_FIELD_URL));
	if (r >= 0)
		r = set_string(&req->vhost, w->dir.site ? w->dir.sites[w->dir.site - 1] : NULL);
	if (r < 0)
		return diag_fail(d, ENOMEM, N_("out of memory"));
	r = request_set_exts(req, field(w, WIZ_DIR_FIELD_EXTS), d);
	if (r == -ENOMEM)
		return diag_fail(d, ENOMEM, N_("out of memory"));
	if (r < 0)
		return r;
	req->no_hello = !w->dir.hello;
	/* --force, or the user's yes for this very directory */
	req->force = w->req_force ||
		     (w->dir.forced && streq(w->dir.forced, field(w, WIZ_DIR_FIELD_DIR)));
	return request_validate(req, d);
}

/* What the directory is today, checked as the plan checks it: a symbolic
 * link, a file, a world-writable directory (-EPERM: --force lifts it). */
static int
check_dir(const struct wiz *w, const struct request *req, struct diag *d)
{
	struct dirview dv = { 0 };
	int r = fsops_dirview(w->req->root, req->dir, &dv, d);

	if (r >= 0)
		r = plan_check_dir(req, &dv, d);
	fsops_dirview_release(&dv);
	return r;
}

/* Where the plan would serve the directory of REQ (checked already). */
static int
url_path(struct wiz *w, const struct request *req)
{
	struct wiz_dirscreen *s = &w->dir;
	char *url = NULL;
	bool alias = false;
	int r;

	if (!w->detect.found)
		return 0;
	r = plan_url_path(probe_effective_model(&w->host), &w->host.layout, req, &url, &alias,
			  &s->diag);
	if (r == -ENOMEM && !s->diag.msg[0])
		diag_fail(&s->diag, ENOMEM, N_("out of memory"));
	if (r < 0)
		return r;
	s->url = url;
	s->alias = alias;
	return 0;
}

/* Check the fields on a scratch request; the real one is left alone. */
static void
revalidate(struct wiz *w)
{
	struct wiz_dirscreen *s = &w->dir;
	struct request scratch;
	int r;

	s->diag = (struct diag){ 0 };
	s->forceable = false;
	free(s->url);
	s->url = NULL;
	r = request_init(&scratch);
	if (r >= 0) {
		free(scratch.root);
		scratch.root = strdup(w->req->root);
		r = scratch.root ? set_string(&scratch.config, w->req->config) : -ENOMEM;
	}
	if (r < 0)
		diag_fail(&s->diag, ENOMEM, N_("out of memory"));
	else
		r = fill_request(w, &scratch, &s->diag);
	if (r >= 0) {
		r = check_dir(w, &scratch, &s->diag);
		s->forceable = r == -EPERM;
	}
	if (r >= 0)
		r = url_path(w, &scratch);
	s->valid = r >= 0;
	request_release(&scratch);
}

static char *
join_exts(char *const *v)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; v && v[i]; i++)
		if ((i && strbuf_adds(&sb, ",") < 0) || strbuf_adds(&sb, v[i]) < 0)
			break;
	return strbuf_detach(&sb);
}

static const char *
last_applied_dir(const struct wiz *w)
{
	const struct wiz_detect *d = &w->detect;

	const char *dir;

	if (!d->status_known || d->n_applied == 0)
		return NULL;
	dir = d->applied[d->n_applied - 1].dir;
	return dir && *dir == '/' ? dir : NULL; /* "?": the entry names none */
}

/* The virtual hosts to offer, by ServerName, once each, in the order
 * Apache reads them (--vhost accepts each). */
static void
find_sites(struct wiz *w)
{
	const struct model *m;

	if (!w->detect.found)
		return;
	m = probe_effective_model(&w->host);
	for (size_t i = 0; i < m->n_vhosts; i++) {
		const char *name = m->vhosts[i].server_name;

		if (m->vhosts[i].active && name && !strv_contains(w->dir.sites, name) &&
		    strv_extend(&w->dir.sites, name) < 0)
			return;
		if (w->req->vhost && name && strcaseeq(name, w->req->vhost))
			w->dir.site = strv_length(w->dir.sites);
	}
}

static void
dir_init(struct wiz *w)
{
	struct wiz_dirscreen *s = &w->dir;
	struct diag keep;

	if (!s->filled) {
		find_sites(w);
		_cleanup_free_ char *exts = join_exts(w->req->exts);
		const struct family *fam = w->detect.found ? w->host.layout.family : NULL;

		/* --dir, the directory cgisetup configured last (a re-run is
		 * most likely about it), or the distribution's customary place */
		const char *dir = w->req->dir ? w->req->dir : last_applied_dir(w);

		wizard_field_set(&s->fields[WIZ_DIR_FIELD_DIR], dir ? dir : fam ? fam->cgi_dir : NULL);
		wizard_field_set(&s->fields[WIZ_DIR_FIELD_URL], w->req->url_path);
		wizard_field_set(&s->fields[WIZ_DIR_FIELD_EXTS], exts);
		s->hello = !w->req->no_hello;
		s->focus = WIZ_DIR_FIELD_DIR;
		s->filled = true;
	}
	/* a failed pipeline_prepare() (Apply sends the user back here) stays
	 * on the screen until a key changes the fields */
	keep = s->diag;
	revalidate(w);
	if (s->valid && keep.msg[0])
		s->diag = keep;
}

/* Next on a world-writable directory: use it anyway, as --force does,
 * once the user said so for this path. */
static void
ask_force(struct wiz *w)
{
	struct wiz_dirscreen *s = &w->dir;
	const char *dir = field(w, WIZ_DIR_FIELD_DIR);
	_cleanup_free_ char *text = strdup_printf(
		_("Anyone on this system can write to '%s', so anyone could put a script there "
		  "and run it as the web server. Fixing its mode (chmod o-w) is safer. Use it "
		  "anyway (as --force does)?"),
		dir);

	if (!text || !wizard_ask(w, _("Use a world-writable directory?"), text,
				 _("y: use it anyway    n or Esc: choose another")))
		return;
	free(s->forced);
	s->forced = strdup(dir);
	revalidate(w);
}

/* Next: the real request, then the read-only half of the pipeline. */
static enum wiz_action
dir_next(struct wiz *w)
{
	struct wiz_dirscreen *s = &w->dir;

	if (!s->valid && s->forceable)
		ask_force(w);
	if (!s->valid) {
		beep();
		return WIZ_HANDLED;
	}
	s->diag = (struct diag){ 0 };
	if (fill_request(w, w->req, &s->diag) < 0) {
		s->valid = false;
		return WIZ_HANDLED;
	}
	/* The preview creates nothing (not even the journal) however long it
	 * stays on the screen; Apply prepares again. */
	wizard_busy(w, _("Reading the configuration and planning the changes..."));
	if (pipeline_prepare(w->req, PREPARE_PREVIEW, &w->p, &s->diag) < 0)
		return WIZ_HANDLED;
	w->prepared = true;
	return WIZ_NEXT;
}

static int
label_width(void)
{
	int lw = 0;

	for (int i = 0; i < WIZ_DIR_N_FIELDS; i++) {
		const char *t = _(labels[i]);
		int wd = wizard_draw_width(t, strlen(t));

		lw = wd > lw ? wd : lw;
	}
	return lw < COLS / 3 ? lw : COLS / 3;
}

/* Below the URL field: where the directory will be served, as the plan
 * computes it from what is typed. */
static char *
url_hint(const struct wiz *w)
{
	const struct wiz_dirscreen *s = &w->dir;
	bool typed = *field(w, WIZ_DIR_FIELD_URL) != '\0';

	if (!s->url)
		return strdup(_(hints[WIZ_DIR_FIELD_URL]));
	if (typed)
		return strdup_printf(s->alias ? _("served at %s/ (a new Alias)") : _("served at %s/"),
				     s->url);
	return strdup_printf(s->alias ? _("served at %s/ (from the directory, a new Alias)")
				  : _("served at %s/ (from the directory)"),
			     s->url);
}

static int
draw_fields(struct wiz *w, int y)
{
	struct wiz_dirscreen *s = &w->dir;
	int lw = label_width(), fx = 3 + lw;
	_cleanup_free_ char *hello = NULL;

	for (int i = 0; i < WIZ_DIR_N_FIELDS; i++) {
		_cleanup_free_ char *hint = i == WIZ_DIR_FIELD_URL ? url_hint(w) : NULL;

		wizard_draw_text(y, 2, lw, _(labels[i]),
				 s->focus == i ? WIZ_ATTR_FOCUS : WIZ_ATTR_NORMAL);
		wizard_field_draw(w, &s->fields[i], y, fx, COLS - fx - 2, s->focus == i);
		wizard_draw_text(y + 1, fx + 1, COLS - fx - 3, hint ? hint : _(hints[i]),
				 s->url && i == WIZ_DIR_FIELD_URL ? WIZ_ATTR_OK : WIZ_ATTR_DIM);
		y += 3;
	}
	if (s->sites) {
		_cleanup_free_ char *site = strdup_printf(
			"< %s >", s->site ? s->sites[s->site - 1] : _("server-wide (every site)"));

		wizard_draw_text(y, 2, lw, _("Site:"),
				 s->focus == FOCUS_SITE ? WIZ_ATTR_FOCUS : WIZ_ATTR_NORMAL);
		if (site)
			wizard_draw_text(y, fx, COLS - fx - 2, site,
					 s->focus == FOCUS_SITE ? WIZ_ATTR_FOCUS : WIZ_ATTR_NORMAL);
		wizard_draw_text(y + 1, fx + 1, COLS - fx - 3,
				 _("Space, Left/Right: server-wide or one virtual host (--vhost)"), WIZ_ATTR_DIM);
		y += 3;
	}
	hello = strdup_printf("[%s] %s", s->hello ? "x" : " ",
			      _("write hello.py, a test script that proves CGI runs"));
	if (hello)
		wizard_draw_text(y, 2, COLS - 4, hello,
				 s->focus == FOCUS_HELLO ? WIZ_ATTR_FOCUS : WIZ_ATTR_NORMAL);
	return y + 2;
}

static void
dir_draw(struct wiz *w)
{
	struct wiz_dirscreen *s = &w->dir;
	int y = wizard_body_top(), bottom, buttons_y;
	const char *names[ELEMENTSOF(buttons)];

	y += wizard_draw_para(y, 2, COLS - 4, 2,
			      _("Which directory should run Python CGI scripts? Nothing is written "
				"before you confirm the preview."),
			      WIZ_ATTR_NORMAL) + 1;
	y = draw_fields(w, y);
	/* the buttons below room for a message of a few rows, not at the
	 * bottom of a tall terminal */
	buttons_y = wizard_body_fit(y, 6);
	bottom = buttons_y - 2;
	if (s->diag.msg[0]) {
		char msg[DIAG_MSG_MAX];

		y += wizard_draw_para(y, 2, COLS - 4, bottom - y + 1, output_message(&s->diag, msg),
				      WIZ_ATTR_ERROR);
		y += wizard_draw_para(y, 4, COLS - 6, bottom - y + 1, s->diag.detail,
				      WIZ_ATTR_NORMAL);
		if (s->forceable)
			wizard_draw_para(y, 2, COLS - 4, bottom - y + 1,
					 _("Next asks whether to use it anyway."), WIZ_ATTR_DIM);
	} else if (s->forced && streq(s->forced, field(w, WIZ_DIR_FIELD_DIR)) && s->valid) {
		wizard_draw_para(y, 2, COLS - 4, bottom - y + 1,
				 _("World-writable: used anyway, as you chose (--force)."),
				 WIZ_ATTR_ERROR);
	}
	for (size_t i = 0; i < ELEMENTSOF(buttons); i++)
		names[i] = _(buttons[i]);
	wizard_draw_buttons(buttons_y, 2, names, (int)ELEMENTSOF(buttons),
			    s->focus - FOCUS_BACK,
			    s->valid || s->forceable ? 0 : 1u << (FOCUS_NEXT - FOCUS_BACK));
}

static enum wiz_action
choose(struct wiz *w)
{
	switch (w->dir.focus) {
	case FOCUS_BACK:
		return WIZ_BACK;
	case FOCUS_CANCEL:
		return WIZ_QUIT;
	default:
		return dir_next(w);
	}
}

/* Tab, arrows: the next or previous thing to focus; 0 when K is none. */
static int
focus_step(const struct wiz *w, const struct wiz_key *k)
{
	bool on_button = w->dir.focus >= FOCUS_BACK;

	if (wizard_key_is(k, '\t') || (k->fn && k->code == KEY_DOWN))
		return 1;
	if (k->fn && (k->code == KEY_BTAB || k->code == KEY_UP))
		return -1;
	if (on_button && k->fn && k->code == KEY_RIGHT)
		return 1;
	if (on_button && k->fn && k->code == KEY_LEFT)
		return -1;
	return 0;
}

static enum wiz_action
dir_key(struct wiz *w, const struct wiz_key *k)
{
	struct wiz_dirscreen *s = &w->dir;
	int step = focus_step(w, k);
	bool changed;

	if (step) {
		s->focus = (s->focus + step + N_FOCUS) % N_FOCUS;
		if (s->focus == FOCUS_SITE && !s->sites)
			s->focus = (s->focus + step + N_FOCUS) % N_FOCUS;
		return WIZ_HANDLED;
	}
	if (s->focus == FOCUS_SITE && (wizard_key_is(k, ' ') ||
				       (k->fn && (k->code == KEY_RIGHT || k->code == KEY_LEFT)))) {
		size_t n = strv_length(s->sites) + 1;

		s->site = (s->site + (k->fn && k->code == KEY_LEFT ? n - 1 : 1)) % n;
		revalidate(w);
		return WIZ_HANDLED;
	}
	if (wizard_key_enter(k))
		return choose(w);
	if (s->focus == FOCUS_HELLO && wizard_key_is(k, ' ')) {
		s->hello = !s->hello;
		revalidate(w);
		return WIZ_HANDLED;
	}
	if (s->focus < WIZ_DIR_N_FIELDS && wizard_field_key(&s->fields[s->focus], k, &changed)) {
		if (changed)
			revalidate(w);
		return WIZ_HANDLED;
	}
	return WIZ_IGNORED;
}

static void
dir_keys(const struct wiz *w, struct wiz_keys *k)
{
	int f = w->dir.focus;

	k->tab = _("Tab: move");
	k->esc = _("Esc: back");
	k->enter = _("Enter: next");
	if (f < WIZ_DIR_N_FIELDS) {
		k->here = _("Ctrl-W: delete word");
		k->typing = true;
	} else if (f == FOCUS_HELLO) {
		k->here = _("Space: tick");
	} else if (f == FOCUS_SITE) {
		k->here = _("Space, Left/Right: change");
	} else {
		k->here = _("Left/Right: button");
		if (f == FOCUS_BACK)
			k->enter = _("Enter: back");
		else if (f == FOCUS_CANCEL)
			k->enter = _("Enter: cancel");
	}
}

/* The state this screen owns. */
static void
dir_release(struct wiz *w)
{
	for (size_t i = 0; i < WIZ_DIR_N_FIELDS; i++)
		wizard_field_release(&w->dir.fields[i]);
	free(w->dir.url);
	w->dir.url = NULL;
	free(w->dir.forced);
	w->dir.forced = NULL;
	w->dir.sites = strv_free(w->dir.sites);
	w->dir.site = 0;
}

const struct wiz_screen wizard_dir_screen = {
	.title = N_("CGI directory"),
	.help = N_("Directory: where the CGI scripts live, an absolute path; the proposal is "
		   "this distribution's customary place. It is checked as you type, with the "
		   "same rules and messages as --dir, and against what is there today (a file, "
		   "a symbolic link, a world-writable directory); Next stays refused while it "
		   "is not acceptable, except for a world-writable directory, which Next "
		   "offers to use anyway (as --force does) once you confirm.\n\n"
		   "URL path: where the directory is served, such as /cgi. Leave it empty to let "
		   "cgisetup choose it from the directory (--url-path); the line below it shows "
		   "the URL path the directory will be served at, as you type, or why a URL "
		   "path cannot be used.\n\n"
		   "Extensions: the file endings run as CGI scripts (--ext).\n\n"
		   "Site (when the configuration names virtual hosts): server-wide first, or "
		   "one virtual host only (--vhost): its URL mapping and section go inside "
		   "every copy of it, and the check uses its name.\n\n"
		   "hello.py: a small test script that proves CGI runs (--no-hello when off).\n\n"
		   "Keys: Tab/Shift-Tab or Up/Down move, Space ticks the box, Enter goes on, Esc "
		   "goes back, F1 shows this help. In a field: Ctrl-A/Ctrl-E start and end, "
		   "Ctrl-U and Ctrl-K delete to the start and the end, Ctrl-W the word (or path "
		   "component) before the cursor; '<' and '>' at its edges say that text is "
		   "hidden on that side."),
	.keys = dir_keys,
	.init = dir_init,
	.draw = dir_draw,
	.key = dir_key,
	.release = dir_release,
};

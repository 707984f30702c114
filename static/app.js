/*
 * app.js: progressive enhancement only.  Every page works without it.
 *
 * - htmx requests carry the CSRF token from <meta name="csrf-token">, so
 *   hx-post and friends pass the same check as ordinary forms.
 * - A submitted form's button is marked busy and disabled for a moment,
 *   so a double tap on a slow connection does not post twice.
 *
 * The language switch keeps its button: changing a select must not
 * reload the page on its own (WCAG 3.2.2).
 */
(function () {
	"use strict";

	var meta = document.querySelector('meta[name="csrf-token"]');

	document.addEventListener("htmx:configRequest", function (ev) {
		if (meta && ev.detail && ev.detail.headers)
			ev.detail.headers["X-CSRF-Token"] = meta.getAttribute("content");
	});

	document.addEventListener("submit", function (ev) {
		var form = ev.target, button = ev.submitter;

		if (ev.defaultPrevented || !form || form.hasAttribute("hx-post") ||
		    !button || button.disabled)
			return;
		button.setAttribute("aria-busy", "true");
		/* Disable after the submission has picked up the button's value. */
		window.setTimeout(function () {
			button.disabled = true;
		}, 0);
		/* Re-enable if the page is still here (e.g. back/forward cache). */
		window.setTimeout(function () {
			button.disabled = false;
			button.removeAttribute("aria-busy");
		}, 8000);
	});

	window.addEventListener("pageshow", function (ev) {
		if (!ev.persisted)
			return;
		document.querySelectorAll("button[aria-busy]").forEach(function (b) {
			b.disabled = false;
			b.removeAttribute("aria-busy");
		});
	});
})();

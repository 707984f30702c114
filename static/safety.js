/*
 * safety.js: progressive enhancement for the safety controls.  Every one
 * works without it.
 *
 * - Quick exit: the link already goes to a neutral site; with JavaScript
 *   the current page is replaced (location.replace), so the back button
 *   does not bring it back, and the page is blanked first so nothing
 *   lingers on screen while the next one loads.
 * - Print buttons ([data-safety-print], hidden without JavaScript) open
 *   the browser's print dialog; the print stylesheet prints only the plan.
 */
(function () {
	"use strict";

	document.addEventListener("click", function (ev) {
		var a = ev.target && ev.target.closest ? ev.target.closest("a[data-quick-exit]") : null;

		if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey)
			return;
		ev.preventDefault();
		document.title = "";
		document.body.hidden = true;
		window.location.replace(a.href);
	});

	document.querySelectorAll("[data-safety-print]").forEach(function (b) {
		b.hidden = false;
		b.addEventListener("click", function () {
			window.print();
		});
	});
})();

/* Each table cell learns its column's name (data-label), which a phone shows before the cell
   when tables become cards (briefing.css). Runs on this site's own pages only; loads nothing. */
(function () {
  "use strict";
  function label() {
    document.querySelectorAll(".md-typeset table").forEach(function (table) {
      var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (names[i] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", names[i]);
          }
        });
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", label);
  } else {
    label();
  }
})();

// Sortable index rows; the page works without this script (rows stay in path order).
(function () {
  var tables = document.querySelectorAll("table.sortable");
  Array.prototype.forEach.call(tables, function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, index) {
      var button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = th.getAttribute("data-type") === "number";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[index].getAttribute("data-value");
          var y = b.cells[index].getAttribute("data-value");
          var c = numeric ? Number(x) - Number(y) : x.localeCompare(y, "zh-CN");
          if (!ascending) c = -c;
          // Equal values keep the order of the paths, whichever way the column is sorted.
          return c || Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();

// The pipeline board: cards are dragged between columns with the vendored
// SortableJS; a drop posts the move with htmx (the CSRF header comes from
// the body's hx-headers) and the server answers with the board as it now
// is. Without JavaScript each card's "Move to" form does the same.
(function () {
  "use strict";
  if (!window.Sortable || !window.htmx) return;

  function init(root) {
    const scope = root.querySelectorAll ? root : document;
    scope.querySelectorAll(".board-cards").forEach(function (list) {
      if (list.dataset.sortable) return;
      list.dataset.sortable = "1";
      window.Sortable.create(list, {
        group: "pipeline",
        draggable: ".board-card",
        filter: "select, button, option, label",
        preventOnFilter: false,
        forceFallback: true,
        fallbackOnBody: true,
        animation: 120,
        ghostClass: "board-card-ghost",
        chosenClass: "board-card-chosen",
        onAdd: function (event) {
          const card = event.item;
          const status = event.to.dataset.status;
          card.classList.add("board-card-moving");
          htmx.ajax("POST", card.dataset.moveUrl, {
            source: card,
            target: "#board",
            swap: "outerHTML",
            values: { status: status },
          });
        },
      });
    });
  }

  init(document);
  htmx.onLoad(init);
})();

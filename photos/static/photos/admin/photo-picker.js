/* Photo pickers (the admin's autocomplete boxes for a photo) show a thumbnail
   and the credit beside each caption, from the thumbnail URL that
   photos/autocomplete.py adds to each result. Without JavaScript the
   picker is the admin's plain select. */
(function () {
  "use strict";

  // Every autocomplete box: only photo results carry a thumbnail, the others show as before.
  var PICKERS = ".admin-autocomplete";

  function option(result) {
    if (!result.id || !result.thumbnail) { return result.text; }
    var row = document.createElement("span");
    row.className = "photo-option";
    var image = document.createElement("img");
    image.src = result.thumbnail;
    image.alt = "";
    image.width = 48;
    image.height = 48;
    var text = document.createElement("span");
    text.textContent = result.text + (result.credit ? " — " + result.credit : "");
    row.append(image, text);
    return window.django.jQuery(row);
  }

  function enhance(element) {
    // This file may load before the admin's select2 does: look it up only when a box is set up.
    var $ = window.django && window.django.jQuery;
    if (!$ || !$.fn.select2 || element.name.indexOf("__prefix__") !== -1) { return; }
    var $element = $(element);
    if ($element.data("select2")) { $element.select2("destroy"); }
    $element.select2({
      templateResult: option,
      ajax: {
        data: function (params) {
          return {
            term: params.term,
            page: params.page,
            app_label: element.dataset.appLabel,
            model_name: element.dataset.modelName,
            field_name: element.dataset.fieldName
          };
        }
      }
    });
  }

  function enhanceAll(root) {
    root.querySelectorAll(PICKERS).forEach(enhance);
  }

  // After the admin's own autocomplete.js has set the boxes up, on load and for each added inline row.
  window.addEventListener("load", function () { enhanceAll(document); });
  document.addEventListener("formset:added", function (event) {
    window.setTimeout(function () { enhanceAll(event.target); });
  });
})();

/*
 * Leave English stop words out of a search query before material's search worker sees it.
 *
 * Why hand-written: material adds a trailing wildcard to every word of a query, and lunr
 * skips its stop-word filter for wildcard terms, so "a", "is" or "that" in "report a crime
 * that is not urgent" match every indexed word starting with them and outrank the page that
 * answers. Stop words are never in the index (material builds it with lunr's stop-word
 * filter), so leaving them out of the query loses nothing. Material has no hook for this
 * since 9.0, so the query message to the worker is filtered here. Nothing leaves the page.
 */
(function () {
  "use strict";
  /* lunr's English stop words (lunr.stopWordFilter), which material's index leaves out */
  var STOP = ("a able about across after all almost also am among an and any are as at be " +
    "because been but by can cannot could dear did do does either else ever every for from " +
    "get got had has have he her hers him his how however i if in into is it its just least " +
    "let like likely may me might most must my neither no nor not of off often on only or " +
    "other our own rather said say says she should since so some than that the their them " +
    "then there these they this tis to too twas us wants was we were what when where which " +
    "while who whom why will with would yet you your").split(" ");
  var stop = {};
  STOP.forEach(function (word) { stop[word] = true; });

  /* "report a crime that is not urgent" -> "report crime urgent"; quoted phrases, field
     prefixes (title:) and a query of stop words only are left as typed */
  function withoutStopWords(query) {
    if (query.indexOf('"') !== -1 || query.indexOf(":") !== -1) return query;
    var words = query.split(/\s+/).filter(function (word) {
      return word && !stop[word.toLowerCase().replace(/[^a-z]/g, "")];
    });
    return words.length ? words.join(" ") : query;
  }

  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    /* material's query message: {type: 2, data: "<the words typed>"} */
    if (message && message.type === 2 && typeof message.data === "string") {
      arguments[0] = { type: 2, data: withoutStopWords(message.data) };
    }
    return post.apply(this, arguments);
  };
})();

/*
 * Turn the words a resident types into a query for material's search worker that finds
 * every form of a word, and a long word with a typo in it. Nothing leaves the page.
 *
 * Why hand-written: material has no hook for its query since 9.0, so the query message to
 * its worker is rewritten here. Material adds a trailing wildcard to every word, and lunr
 * runs neither its stemmer nor its stop-word filter on a wildcard word, so "stalked*" never
 * met "stalk" (the index holds stems: see hooks/oscp/search_index.py) and "a*" or "is*"
 * matched every word starting with them. So, for each word that is not a stop word:
 *   word^3    the word's stem, exactly ("assaulted" -> "assault"), weighed 3 times;
 *   word~1    for a long word, its stem with one typo allowed (two for a very long word);
 *   wor*      for a word of nine letters or more, its first three fifths as a prefix;
 *   word      only the last word, which may be half typed: material makes it "word*".
 * A word with a suffix (^ or ~) gets no wildcard from material and goes through lunr's
 * stemmer. Quoted phrases, +/- and field prefixes (title:) are left as typed.
 */
(function () {
  "use strict";
  /* lunr's English stop words (lunr.stopWordFilter), which the index leaves out */
  var STOP = ("a able about across after all almost also am among an and any are as at be " +
    "because been but by can cannot could dear did do does either else ever every for from " +
    "get got had has have he her hers him his how however i if in into is it its just least " +
    "let like likely may me might most must my neither no nor not of off often on only or " +
    "other our own rather said say says she should since so some than that the their them " +
    "then there these they this tis to too twas us wants was we were what when where which " +
    "while who whom why will with would yet you your").split(" ");
  var stop = {};
  STOP.forEach(function (word) { stop[word] = true; });

  /* a word this long may hold one typo; this long, two (lunr's edit distance): the typo is
     counted against the stem, which a typed word's ending ("stalkng") may not share */
  var ONE_TYPO = 6;
  var TWO_TYPOS = 7;
  /* a word this long is also looked for by its first letters (see clauses) */
  var PREFIX_FROM = 9;
  /* the index's word separator, as in hooks/oscp/search_index.py */
  var SEPARATOR = /[\s\-,:;!?=\[\]()"'\/\u2018\u2019\u201c\u201d.]+/;

  function clauses(word, last) {
    var out = [word + "^3"];
    if (word.length >= TWO_TYPOS) {
      out.push(word + "~2");
    } else if (word.length >= ONE_TYPO) {
      out.push(word + "~1");
    }
    if (word.length >= PREFIX_FROM) {
      /* a typo in a long word's ending ("exploitaton") keeps it from its stem ("exploit"):
         its first three fifths also find the word, as a prefix */
      out.push(word.slice(0, Math.max(6, Math.ceil(word.length * 0.6))) + "*");
    }
    if (last) {
      out.push(word);
    }
    return out;
  }

  /* "I was stalked" -> "stalked^3 stalked~1 stalked" */
  function rewrite(query) {
    if (/["+:^~*]|(^|\s)-/.test(query)) {
      return query;
    }
    var words = query.toLowerCase().split(SEPARATOR).filter(function (word) {
      /* "don't" -> "don", "t": a lone letter says nothing */
      return (word.length > 1 || /\d/.test(word)) && !stop[word];
    });
    if (!words.length) {
      return query;
    }
    var parts = [];
    words.forEach(function (word, i) {
      parts.push.apply(parts, clauses(word, i === words.length - 1));
    });
    return parts.join(" ");
  }

  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    /* material's query message: {type: 2, data: "<the words typed>"} */
    if (message && message.type === 2 && typeof message.data === "string") {
      arguments[0] = { type: 2, data: rewrite(message.data) };
    }
    return post.apply(this, arguments);
  };
})();

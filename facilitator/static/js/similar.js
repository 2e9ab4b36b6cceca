/* Cheap lexical similarity for suggestions while typing (issue 17, point 3), computed in the browser:
   the server never clusters (no spaCy in its process). Words are folded (case, accents, a plural's
   final s or x, the first 6 letters), French and English function words dropped; the score is the
   larger of the words' Dice coefficient and the character trigrams' (typos, word forms). 0..1.
   Plain ES2017; window.Similar = {score(a, b), closest(text, candidates, key, min)}. */
(function () {
  "use strict";
  var STOP = ("le la les un une des du de d l au aux et ou en dans sur pour par avec sans ne pas plus " +
    "que qui quoi dont a à est sont être avoir on nous vous ils elles il elle se sa son ses leur leurs " +
    "ce cet cette ces mon ma mes notre nos votre vos tout tous toute toutes trop très " +
    "the a an of to in on for with and or is are be not no our your their it this that").split(" ");
  var stop = {};
  STOP.forEach(function (word) { stop[word] = true; });

  function fold(text) {
    return String(text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function words(text) {
    return fold(text).split(/[^a-z0-9]+/).filter(function (w) { return w.length > 1 && !stop[w]; })
      .map(function (w) { return w.replace(/(s|x)$/, "").slice(0, 6); });
  }
  function trigrams(text) {
    var padded = " " + words(text).join(" ") + " ";
    var grams = {};
    for (var i = 0; i + 3 <= padded.length; i += 1) { grams[padded.slice(i, i + 3)] = true; }
    return Object.keys(grams);
  }
  function dice(a, b) {
    if (!a.length || !b.length) { return 0; }
    var seen = {};
    a.forEach(function (x) { seen[x] = true; });
    var common = 0;
    var unique = {};
    b.forEach(function (x) { if (seen[x] && !unique[x]) { common += 1; unique[x] = true; } });
    var setA = Object.keys(seen).length;
    var setB = Object.keys(b.reduce(function (o, x) { o[x] = true; return o; }, {})).length;
    return (2 * common) / (setA + setB);
  }
  function score(a, b) {
    return Math.max(dice(words(a), words(b)), dice(trigrams(a), trigrams(b)));
  }
  /* The candidate most like `text` (key(candidate) its text) scoring at least `min`, or null. */
  function closest(text, candidates, key, min) {
    var best = null;
    var bestScore = min;
    candidates.forEach(function (candidate) {
      var value = score(text, key(candidate));
      if (value >= bestScore) { best = candidate; bestScore = value; }
    });
    return best;
  }
  window.Similar = { score: score, closest: closest, words: words };
})();

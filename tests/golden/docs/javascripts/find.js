/* "Search every word": Pagefind's index of every page, source texts included, loaded from this
   site (../pagefind/), a fragment at a time; nothing from any other host. A query also runs in
   its other spellings (defence/defense, organisation/organization, ...) and the hits are merged,
   so British and American spellings find each other without any text added to the pages. */
(function () {
  "use strict";
  var script = document.currentScript;
  var bundle = new URL("../pagefind/", script.src).href;
  var box = document.getElementById("find-input");
  var list = document.getElementById("find-results");
  var status = document.getElementById("find-status");
  if (!box || !list) { return; }
  var pagefind = null;

  // Other spellings of one word: British and American forms both ways. A form that no page has
  // finds nothing, so the rules may be generous.
  var WORDS = {
    grey: "gray", programme: "program", aluminium: "aluminum", cheque: "check", tyre: "tire",
    kerb: "curb", plough: "plow", mould: "mold", manoeuvre: "maneuver", sceptic: "skeptic",
    sceptical: "skeptical", practise: "practice", whilst: "while", storey: "story", draught: "draft",
    enrol: "enroll", fulfil: "fulfill", instil: "instill", jewellery: "jewelry", pyjamas: "pajamas"
  };
  var RULES = [
    [/isation(s?)$/, "ization$1"], [/ise([sd]?)$/, "ize$1"], [/ising$/, "izing"], [/yse([sd]?)$/, "yze$1"],
    [/our(s|ed|ing|ite|ites|able|ful)?$/, "or$1"], [/ence(s?)$/, "ense$1"], [/tre(s?)$/, "ter$1"],
    [/ogue(s?)$/, "og$1"], [/ll(ed|ing|er|ers)$/, "l$1"], [/ae/, "e"], [/oe/, "e"]
  ];
  function variants(word) {
    var w = word.toLowerCase(), out = [w];
    function add(v) { if (out.indexOf(v) < 0) { out.push(v); } }
    Object.keys(WORDS).forEach(function (k) {
      if (w === k) { add(WORDS[k]); }
      if (w === WORDS[k]) { add(k); }
    });
    RULES.forEach(function (rule) {
      if (rule[0].test(w)) { add(w.replace(rule[0], rule[1])); }
      // and back: the American form to the British one
      var back = new RegExp(rule[1].replace("$1", "(s|d|ed|ing|ite|ites|able|ful|er|ers)?") + "$");
      var m = w.match(back);
      if (m && rule[0].source.indexOf("ae") < 0 && rule[0].source.indexOf("oe") < 0) {
        var british = rule[0].source.replace(/\(.*$/, "").replace(/[\\$^]/g, "");
        add(w.slice(0, m.index) + british + (m[1] || ""));
      }
    });
    return out.slice(0, 4);
  }
  function queries(text) {
    var words = text.trim().split(/\s+/).filter(Boolean).slice(0, 6);
    var all = [""];
    words.forEach(function (word) {
      var next = [];
      all.forEach(function (q) { variants(word).forEach(function (v) { next.push((q ? q + " " : "") + v); }); });
      all = next.slice(0, 8);
    });
    return all;
  }

  function show(results, total, query) {
    list.textContent = "";
    status.textContent = total ? total + (total === 1 ? " page" : " pages") + " for “" + query + "”" +
      (total > results.length ? ", the best " + results.length + " shown" : "") : "Nothing found for “" + query + "”.";
    results.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.url;
      a.textContent = (r.meta && r.meta.title) || r.url;
      var p = document.createElement("p");
      // Pagefind's excerpt is the page's own text (escaped when the page was built) with the
      // matched words in <mark>: the only markup kept.
      p.innerHTML = r.excerpt.replace(/<(?!\/?mark>)/g, "&lt;");
      li.appendChild(a);
      li.appendChild(p);
      list.appendChild(li);
    });
  }

  // Pagefind's runtime and the index's entry are loaded when the page opens, not when the
  // reader has typed: by then the first query only fetches its own fragments.
  var ready = import(bundle + "pagefind.js").then(async function (module) {
    await module.options({ baseUrl: new URL("../", script.src).pathname, excerptLength: 24 });
    await module.init();
    pagefind = module;
    return module;
  }).catch(function () { return null; });

  var pending = 0;
  async function search() {
    var query = box.value.trim();
    var mine = ++pending;
    list.removeAttribute("data-done");
    if (!query) { list.textContent = ""; status.textContent = ""; return; }
    if (!(await ready)) {
      status.textContent = "The search index is missing: it is made by `make build` (not by `make serve`).";
      return;
    }
    // The query as typed first, shown as soon as it answers (its best five, one small fragment
    // each); then its other spellings one after another, merged, best first, twenty at most.
    // One after another, since the index answers one search at a time: run together, the
    // first answer waited for all of them.
    var seen = {}, hits = [], shown = false;
    var spellings = queries(query);
    for (var i = 0; i < spellings.length; i++) {
      var res = await pagefind.search(spellings[i]);
      if (mine !== pending) { return; }
      if (res) { res.results.forEach(function (h) { if (!seen[h.id]) { seen[h.id] = true; hits.push(h); } }); }
      hits.sort(function (a, b) { return b.score - a.score; });
      if (!shown && hits.length) {
        shown = true;
        var first = await Promise.all(hits.slice(0, 5).map(function (h) { return h.data(); }));
        if (mine !== pending) { return; }
        show(first, hits.length, query);
      }
    }
    var data = await Promise.all(hits.slice(0, 20).map(function (h) { return h.data(); }));
    if (mine === pending) {
      show(data, hits.length, query);
      list.setAttribute("data-done", "");  // every spelling answered (the browser tests wait for it)
    }
  }
  var timer = null;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 150);
    // While the reader is still typing, the fragments of the index the words need start loading.
    if (pagefind && box.value.trim()) { pagefind.preload(box.value.trim()); }
  });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { box.value = initial; search(); }
})();

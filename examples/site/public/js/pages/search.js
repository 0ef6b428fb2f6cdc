// Search: the words of ?q=, most relevant first, ten results a page (?after= for the next).
import { run } from "../api.js";
import { h, header, page, param, teaser } from "../render.js";

const words = (param("q") || "").trim();
const after = param("after");

function draw(data) {
  const form = h(
    "form",
    { action: "search.html", role: "search", class: "search-page" },
    h("input", { type: "search", name: "q", value: words, "aria-label": "Rechercher" }),
    h("button", { type: "submit" }, "Rechercher")
  );
  if (!data.search) return [header(data.nav), h("h1", {}, "Recherche"), form];
  const found = data.search;
  return [
    header(data.nav),
    h("h1", {}, "Recherche"),
    form,
    h("p", { class: "count" }, `${found.totalCount} résultat${found.totalCount === 1 ? "" : "s"} pour « ${words} »`),
    h("div", { class: "grid list results" }, found.nodes.map((a) => teaser(a, { withImage: false }))),
    found.pageInfo.hasNextPage
      ? h("nav", { class: "pagination" }, h("a", { href: `search.html?q=${encodeURIComponent(words)}&after=${encodeURIComponent(found.pageInfo.endCursor)}`, rel: "next" }, "Résultats suivants →"))
      : null,
  ];
}

page(async () => (words ? run("SearchPage", { query: words, after }) : { nav: (await run("SectionList")).nav, search: null }), draw);

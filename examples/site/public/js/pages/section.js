// A section front, ten articles a page, with "previous" and "next" links.
import { run } from "../api.js";
import { h, header, link, notFound, page, param, teaser } from "../render.js";

const number = Math.max(1, parseInt(param("page") || "1", 10) || 1);

function draw(data) {
  const section = data.section;
  if (!section) return [header(data.nav), notFound("Rubrique")];
  document.title = `${section.name} · L'Observateur du Matin`;
  const articles = section.articles;
  const pages = Math.max(1, Math.ceil(articles.totalCount / 10));
  return [
    header(data.nav),
    h("h1", {}, section.name),
    section.description ? h("p", { class: "subtitle" }, section.description) : null,
    section.children.length
      ? h("ul", { class: "labels" }, section.children.map((c) => h("li", {}, h("a", { href: link.section(c.slug) }, c.name))))
      : null,
    h("div", { class: "grid list" }, articles.nodes.map((a) => teaser(a))),
    h(
      "nav",
      { class: "pagination", "aria-label": "Pages" },
      articles.pageInfo.hasPreviousPage ? h("a", { href: link.section(section.slug, articles.page - 1), rel: "prev" }, "← Page précédente") : null,
      h("span", { class: "current" }, `Page ${articles.page} sur ${pages}`),
      articles.pageInfo.hasNextPage ? h("a", { href: link.section(section.slug, articles.page + 1), rel: "next" }, "Page suivante →") : null
    ),
  ];
}

page(() => run("SectionPage", { slug: param("slug") || "une", page: number }), draw);

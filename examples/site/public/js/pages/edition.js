// A print edition: its cover, its pages with their articles, its supplements.
import { run } from "../api.js";
import { byline, h, header, link, notFound, page, param, picture, time } from "../render.js";

const number = parseInt(param("number") || "", 10);

function draw(data) {
  const edition = data.edition || data.latestEdition;
  if (!edition) return [header(data.nav), notFound("Édition")];
  document.title = `${edition.title} · L'Observateur du Matin`;
  return [
    header(data.nav),
    h("h1", {}, edition.title),
    h("p", { class: "meta" }, time(edition.date, { day: true }), ` · ${edition.pageCount} pages`),
    h(
      "div",
      { class: "columns" },
      h(
        "section",
        { class: "pages" },
        h("h2", {}, "Les pages"),
        edition.pages.map((p) =>
          h(
            "section",
            { class: "print-page" },
            h("h3", {}, `Page ${p.number}`),
            h(
              "ul",
              {},
              p.articles.map((a) =>
                h("li", {}, h("a", { href: link.article(a.slug) }, a.title), " ", h("span", { class: "meta" }, a.primarySection ? a.primarySection.name : ""), byline(a.authors))
              )
            )
          )
        )
      ),
      h(
        "aside",
        { class: "sidebar" },
        h("figure", { class: "couverture" }, picture(edition.cover, { loading: "eager" }), edition.cover ? h("figcaption", {}, edition.cover.caption, " ", h("span", { class: "credit" }, edition.cover.credit)) : null),
        edition.supplements.length
          ? h(
              "section",
              { class: "supplements" },
              h("h2", {}, "Suppléments"),
              h("ul", {}, edition.supplements.map((s) => h("li", {}, picture(s.cover), h("span", {}, `${s.title} (${s.pageCount} pages)`))))
            )
          : null
      )
    ),
  ];
}

page(
  () => run("EditionPage", Number.isInteger(number) ? { number, byNumber: true } : {}),
  draw
);

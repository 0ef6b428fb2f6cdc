// The article page, the seed page of the reference layout: one GraphQL request (ArticlePage),
// then recordView.
import { recordView, run } from "../api.js";
import { byline, h, header, link, notFound, page, param, picture, sectionLabels, time } from "../render.js";

function body(html) {
  const div = h("div", { class: "body" });
  div.innerHTML = html; // sanitized by gqlnews (an allow-list of tags and attributes)
  return div;
}

function related(suggestions) {
  return h(
    "section",
    { class: "related", "aria-labelledby": "related-title" },
    h("h2", { id: "related-title" }, "Articles similaires"),
    h(
      "ul",
      {},
      suggestions.map(({ article }) =>
        h(
          "li",
          { class: "teaser", lang: article.language, dir: article.direction.toLowerCase() },
          sectionLabels(article.sections),
          h("h3", {}, h("a", { href: link.article(article.slug) }, article.title)),
          h("p", { class: "excerpt" }, article.excerpt)
        )
      )
    )
  );
}

function sidebar(data) {
  const edito = data.editorial && data.editorial.edito;
  const cover = data.couverture;
  return h(
    "aside",
    { class: "sidebar" },
    edito
      ? h(
          "section",
          { class: "edito" },
          h("h2", {}, "Edito"),
          h("h3", {}, h("a", { href: link.article(edito.slug) }, edito.title)),
          h("p", { class: "excerpt" }, edito.excerpt),
          byline(edito.authors)
        )
      : null,
    cover
      ? h(
          "section",
          { class: "couverture" },
          h("h2", {}, "Couverture"),
          h(
            "a",
            { href: link.edition(cover.number), title: cover.title },
            picture(cover.cover, { loading: "eager" }),
            h("span", {}, `N° ${cover.number} · `, time(cover.date, { day: true }))
          )
        )
      : null,
    h(
      "section",
      { class: "supplements" },
      h("h2", {}, "Nos suppléments spéciaux"),
      h(
        "ul",
        {},
        data.supplements.nodes.map((s) => h("li", {}, picture(s.cover), h("span", {}, s.title)))
      )
    ),
    h(
      "section",
      { class: "most-read" },
      h("h2", {}, "Articles les plus lus"),
      h(
        "ol",
        {},
        (data.mostRead || []).map((r) =>
          h("li", {}, h("a", { href: link.article(r.article.slug) }, r.article.title))
        )
      )
    )
  );
}

function draw(data) {
  const a = data.article;
  if (!a) return [header(data.nav), notFound("Article")];
  document.title = `${a.title} · L'Observateur du Matin`;
  const article = h(
    "article",
    { class: "story", lang: a.language, dir: a.direction.toLowerCase() },
    sectionLabels(a.sections),
    h("h1", {}, a.title),
    a.subtitle ? h("p", { class: "subtitle" }, a.subtitle) : null,
    byline(a.authors, a.language),
    h(
      "p",
      { class: "meta" },
      time(a.publishedAt, { lang: a.language }),
      a.edition ? [" · ", h("a", { href: link.edition(a.edition.number) }, a.language === "fr" ? `Édition n° ${a.edition.number}` : `№ ${a.edition.number}`)] : null
    ),
    a.image
      ? h(
          "figure",
          {},
          picture(a.image, { loading: "eager" }),
          h("figcaption", {}, h("span", { class: "caption" }, a.image.caption), " ", h("span", { class: "credit" }, a.image.credit))
        )
      : null,
    body(a.body)
  );
  recordView(a.id);
  return [header(data.nav), h("div", { class: "columns" }, h("div", {}, article, related(a.related)), sidebar(data))];
}

page(() => run("ArticlePage", { slug: param("slug") || "" }), draw);

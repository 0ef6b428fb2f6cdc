// The front page: the Une (editors' slots and picks, then the "À la une" section), the edito,
// today's cover and the latest news.
import { run } from "../api.js";
import { h, header, link, page, picture, teaser, time } from "../render.js";

function draw(data) {
  const editorial = data.editorial || { slots: [], picks: [] };
  const chosen = [...editorial.slots.map((s) => s.article), ...editorial.picks];
  const seen = new Set(chosen.map((a) => a.slug));
  const une = [...chosen, ...data.une.nodes.filter((a) => !seen.has(a.slug))];
  const [lead, ...others] = une;
  const edition = data.latestEdition;
  return [
    header(data.nav),
    h(
      "div",
      { class: "columns" },
      h(
        "div",
        {},
        h(
          "section",
          { class: "une", "aria-labelledby": "une-title" },
          h("h2", { id: "une-title" }, "À la une"),
          lead ? h("div", { class: "lead" }, teaser(lead)) : null,
          h("div", { class: "grid" }, others.map((a) => teaser(a)))
        ),
        h(
          "section",
          { class: "latest", "aria-labelledby": "latest-title" },
          h("h2", { id: "latest-title" }, "Dernières nouvelles"),
          h("div", { class: "grid" }, data.latest.nodes.map((a) => teaser(a, { withImage: false })))
        )
      ),
      h(
        "aside",
        { class: "sidebar" },
        editorial.edito
          ? h(
              "section",
              { class: "edito" },
              h("h2", {}, "Edito"),
              h("h3", {}, h("a", { href: link.article(editorial.edito.slug) }, editorial.edito.title)),
              h("p", { class: "excerpt" }, editorial.edito.excerpt)
            )
          : null,
        edition
          ? h(
              "section",
              { class: "couverture" },
              h("h2", {}, "Couverture"),
              h("a", { href: link.edition(edition.number) }, picture(edition.cover, { loading: "eager" }), h("span", {}, `N° ${edition.number} · `, time(edition.date, { day: true })))
            )
          : null
      )
    ),
  ];
}

page(() => run("FrontPage"), draw);

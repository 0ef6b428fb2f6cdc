// An author: portrait, biography, latest articles.
import { run } from "../api.js";
import { h, header, notFound, page, param, picture, teaser } from "../render.js";

function draw(data) {
  const author = data.author;
  if (!author) return [header(data.nav), notFound("Auteur")];
  document.title = `${author.name} · L'Observateur du Matin`;
  return [
    header(data.nav),
    h(
      "section",
      { class: "author" },
      picture(author.avatar, { class: "avatar" }),
      h("h1", {}, author.name),
      h("p", { class: "meta" }, author.role),
      h("p", {}, author.bio)
    ),
    h("h2", {}, `Ses articles (${author.articles.totalCount})`),
    h("div", { class: "grid list" }, author.articles.nodes.map((a) => teaser(a, { withImage: false }))),
  ];
}

page(() => run("AuthorPage", { slug: param("slug") || "" }), draw);

// Small DOM helpers shared by the pages: elements built with textContent (never HTML from
// strings, but for the article body, which gqlnews sanitizes), dates, pictures, teasers.
import { MEDIA_BASE, MEDIA_PROXY } from "./config.js";
import { ApiUnavailable } from "./api.js";

/** An element: h("a", {href: "/"}, "text", child…). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") element.className = value;
    else element.setAttribute(name, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** A picture's URL as this site can load it (see config.js). */
export function mediaUrl(url) {
  if (MEDIA_PROXY && url.startsWith(MEDIA_BASE)) return MEDIA_PROXY + url.slice(MEDIA_BASE.length);
  return url;
}

export function picture(image, attributes = {}) {
  if (!image) return null;
  return h("img", {
    src: mediaUrl(image.url),
    alt: image.alt || "",
    width: image.width,
    height: image.height,
    loading: "lazy",
    ...attributes,
  });
}

const BY = { fr: "Par ", ar: "بقلم " };

/** <time> for an instant (publishedAt) or a day (an edition's date), in `lang`. */
export function time(value, { day = false, lang = "fr" } = {}) {
  if (!value) return null;
  const when = new Date(day ? `${value}T00:00:00Z` : value);
  const format = day
    ? new Intl.DateTimeFormat(lang, { dateStyle: "full", timeZone: "UTC" })
    : new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short" });
  return h("time", { datetime: value }, format.format(when));
}

export const link = {
  article: (slug) => `article.html?slug=${encodeURIComponent(slug)}`,
  section: (slug, page) => `section.html?slug=${encodeURIComponent(slug)}${page > 1 ? `&page=${page}` : ""}`,
  author: (slug) => `author.html?slug=${encodeURIComponent(slug)}`,
  edition: (number) => `edition.html?number=${number}`,
};

export function sectionLabels(sections) {
  return h(
    "ul",
    { class: "labels" },
    (sections || []).map((s) => h("li", {}, h("a", { href: link.section(s.slug) }, s.name)))
  );
}

export function byline(authors, lang = "fr") {
  if (!authors || !authors.length) return null;
  return h(
    "p",
    { class: "byline" },
    BY[lang] || BY.fr,
    authors.map((a, i) => [i ? ", " : "", h("a", { href: link.author(a.slug), rel: "author" }, a.name)])
  );
}

/** A teaser: labels, title, picture, excerpt, date. */
export function teaser(article, { withImage = true } = {}) {
  return h(
    "article",
    { class: "teaser", lang: article.language || null, dir: article.direction ? article.direction.toLowerCase() : null },
    article.sections ? sectionLabels(article.sections) : null,
    withImage && article.image ? h("a", { href: link.article(article.slug), tabindex: "-1" }, picture(article.image)) : null,
    h("h3", {}, h("a", { href: link.article(article.slug) }, article.title)),
    article.excerpt ? h("p", { class: "excerpt" }, article.excerpt) : null,
    article.publishedAt ? h("p", { class: "meta" }, time(article.publishedAt, { lang: article.language || "fr" })) : null
  );
}

/** The masthead and the sections' navigation. */
export function header(sections) {
  const nav = h(
    "nav",
    { "aria-label": "Rubriques" },
    h("ul", {}, (sections || []).map((s) => h("li", {}, h("a", { href: link.section(s.slug) }, s.name))))
  );
  const search = h(
    "form",
    { action: "search.html", role: "search" },
    h("input", { type: "search", name: "q", placeholder: "Rechercher", "aria-label": "Rechercher" })
  );
  return h("header", { class: "masthead" }, h("a", { href: "index.html", class: "title" }, "L'Observateur du Matin"), search, nav);
}

/** Put `content` in the page (replacing "Chargement…"). */
export function show(...content) {
  const main = document.getElementById("page");
  main.replaceChildren(...content.filter(Boolean));
  main.removeAttribute("aria-busy");
}

/** Render a page: `load()` gets the data, `draw(data)` returns its elements; a polite message
 * when the API is down or the thing asked for does not exist. */
export async function page(load, draw) {
  let data;
  try {
    data = await load();
  } catch (error) {
    const down = error instanceof ApiUnavailable;
    console.warn(error.message);
    show(
      h("header", { class: "masthead" }, h("a", { href: "index.html", class: "title" }, "L'Observateur du Matin")),
      h(
        "p",
        { class: "notice", role: "alert" },
        down
          ? "Le journal est momentanément indisponible. Veuillez réessayer dans quelques instants."
          : "Cette page n'a pas pu être affichée."
      )
    );
    return;
  }
  show(...[].concat(draw(data)));
}

export function notFound(what) {
  return h("p", { class: "notice", role: "alert" }, `${what} introuvable.`);
}

export function param(name) {
  return new URLSearchParams(window.location.search).get(name);
}

// The site's only way to the data: named GraphQL operations kept in /operations/*.graphql,
// sent to gqlnews with their operationName (so that they can become persisted documents).
import { API_URL } from "./config.js";

/** The API could not be reached, or answered with a server error. */
export class ApiUnavailable extends Error {}

const documents = new Map();

/** The text of operation `name` (from /operations/<name>.graphql, fetched once). */
async function operationText(name) {
  if (!documents.has(name)) {
    const response = await fetch(`/operations/${name}.graphql`);
    if (!response.ok) throw new Error(`no operation ${name} (${response.status})`);
    documents.set(name, await response.text());
  }
  return documents.get(name);
}

/** Run operation `name` with `variables`; its `data`, or an error. */
export async function run(name, variables = {}, { keepalive = false } = {}) {
  const query = await operationText(name);
  let response;
  try {
    response = await fetch(API_URL, {
      method: "POST",
      keepalive,
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ operationName: name, query, variables }),
    });
  } catch (error) {
    throw new ApiUnavailable(`the API at ${API_URL} does not answer (${error.message})`);
  }
  if (response.status >= 500 || response.status === 429) {
    throw new ApiUnavailable(`the API answered ${response.status}`);
  }
  const body = await response.json();
  if (body.errors && body.errors.length) {
    const codes = body.errors.map((e) => e.extensions && e.extensions.code).join(", ");
    throw new Error(`${name}: ${body.errors[0].message} (${codes})`);
  }
  return body.data;
}

/** Count a view of the article `articleId` (once per page; a failure is not the reader's
 * problem, so it is only reported in the console as a warning). `keepalive`: a reader who
 * follows a link at once still counts. */
export async function recordView(articleId) {
  try {
    await run("RecordView", { articleId }, { keepalive: true });
  } catch (error) {
    console.warn("recordView failed:", error.message);
  }
}

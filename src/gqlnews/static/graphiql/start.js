// gqlnews's own start-up script for GraphiQL (not vendored): queries go to the URL this page
// was served from (/graphql).
(function () {
  "use strict";
  var EXAMPLE = [
    "# gqlnews. Ctrl-Enter runs the query,",
    "# Ctrl-Space completes, and the Docs",
    "# button (top left) lists every field.",
    "# Staff: a Headers entry below such as",
    '# {"Authorization": "Bearer <token>"}',
    "query Latest {",
    "  articles(first: 5) {",
    "    nodes {",
    "      slug",
    "      title",
    "      publishedAt",
    "      primarySection { name }",
    "    }",
    "  }",
    "}",
    "",
  ].join("\n");
  var endpoint = window.location.origin + window.location.pathname;
  var fetcher = GraphiQL.createFetcher({ url: endpoint });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: EXAMPLE,
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
    })
  );
})();

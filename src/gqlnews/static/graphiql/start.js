// gqlnews's own start-up script for GraphiQL (not vendored): queries go to the URL this page
// was served from (/graphql).
(function () {
  "use strict";
  var EXAMPLE = [
    "# gqlnews: Ctrl-Enter (or the ▶ button) runs the query; the Docs button lists every type",
    "# and field, and Ctrl-Space completes. Staff add an Authorization header below:",
    '# {"Authorization": "Bearer <token>"}',
    "query Latest {",
    "  articles(first: 5) {",
    "    nodes { slug title publishedAt primarySection { name } }",
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

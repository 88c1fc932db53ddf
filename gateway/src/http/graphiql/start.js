// Starts GraphiQL on the page vuxnav serves at /graphql. It is a file of its own, not an
// inline script, so that the page's Content-Security-Policy can forbid inline code. The
// endpoint comes from the page (`data-endpoint`); React, ReactDOM and GraphiQL are the
// vendored builds loaded before this file.
(function () {
  'use strict';
  var root = document.getElementById('graphiql');
  var fetcher = GraphiQL.createFetcher({ url: root.dataset.endpoint });
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true })
  );
})();

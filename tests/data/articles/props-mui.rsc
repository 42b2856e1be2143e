a:I[300, [], "Container"]
b:I[301, [], "Typography"]
c:I[302, [], "MdxBody"]
1:I[100, [], ""]
4:I[101, [], ""]
5:I[102, [], "MetadataBoundary"]
7:"$Sreact.suspense"
8:"$Sreact.fragment"
0:{"b": "b15", "c": ["", "posts", "styling-without-tears"], "f": [[["", {"children": ["posts", {"children": [["slug", "styling-without-tears", "d"], {"children": ["__PAGE__", {}]}]}]}, "$undefined", "$undefined", true], ["", ["$", "html", null, {"lang": "en", "children": [["$", "head", null, {"children": ["$", "meta", null, {"name": "theme-color", "content": "#fff"}]}], ["$", "body", null, {"children": [null, ["$", "main", null, {"children": ["$", "$L1", null, {"parallelRouterKey": "children", "template": ["$", "$L4", null, {}]}]}]]}]]}], {"children": ["posts", ["$", "$L1", null, {"parallelRouterKey": "children", "template": ["$", "$L4", null, {}]}], {"children": [["slug", "styling-without-tears", "d"], ["$", "$L1", null, {"parallelRouterKey": "children", "template": ["$", "$L4", null, {}]}], {"children": ["__PAGE__", "$L2", {}, null, false]}, null, false]}, null, false]}, null, false], ["$", "$8", null, {"children": [null, ["$", "$L5", null, {"children": "$L3"}]]}], false]]}
2:["$", "main", null, {"children": ["$", "$La", null, {"maxWidth": "md", "children": [["$", "$Lb", null, {"component": "h1", "variant": "h3", "gutterBottom": true, "children": "Styling Without Tears"}], ["$", "$Lc", null, {"mdxContent": [["$", "p", null, {"children": "Theme tokens keep spacing and colour in one place, so a component never hard-codes a pixel value again."}], ["$", "h1", null, {"children": "Background"}], ["$", "p", null, {"children": "The styling engine reads the theme at render time, and every component asks it for the values it needs."}], ["$", "p", null, {"children": "Overrides go into the theme too, which keeps them close to the defaults they change, not scattered."}]]}]]}]}]
3:[["$", "title", null, {"children": "Styling Without Tears | Docs"}], ["$", "meta", null, {"property": "og:site_name", "content": "Docs"}]]

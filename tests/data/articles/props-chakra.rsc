d:I[400, [], "Heading"]
e:I[401, [], "PostMeta"]
1:I[100, [], ""]
4:I[101, [], ""]
5:I[102, [], "MetadataBoundary"]
7:"$Sreact.suspense"
8:"$Sreact.fragment"
0:{"b": "b15", "c": ["", "blog", "tokens-all-the-way-down"], "f": [[["", {"children": ["blog", {"children": [["slug", "tokens-all-the-way-down", "d"], {"children": ["__PAGE__", {}]}]}]}, "$undefined", "$undefined", true], ["", ["$", "html", null, {"lang": "en", "children": [["$", "head", null, {"children": ["$", "meta", null, {"name": "theme-color", "content": "#fff"}]}], ["$", "body", null, {"children": [null, ["$", "main", null, {"children": ["$", "$L1", null, {"parallelRouterKey": "children", "template": ["$", "$L4", null, {}]}]}]]}]]}], {"children": ["blog", ["$", "$L1", null, {"parallelRouterKey": "children", "template": ["$", "$L4", null, {}]}], {"children": [["slug", "tokens-all-the-way-down", "d"], ["$", "$L1", null, {"parallelRouterKey": "children", "template": ["$", "$L4", null, {}]}], {"children": ["__PAGE__", "$L2", {}, null, false]}, null, false]}, null, false]}, null, false], ["$", "$8", null, {"children": [null, ["$", "$L5", null, {"children": "$L3"}]]}], false]]}
2:["$", "article", null, {"children": [["$", "$Ld", null, {"as": "h1", "size": "2xl", "children": "Tokens All the Way Down"}], ["$", "$Le", null, {"title": "Tokens All the Way Down", "date": "2024-05-06", "tags": [{"name": "design-systems", "slug": "design-systems"}, {"name": "css"}], "author": {"name": "Lin Example"}}], ["$", "h1", null, {"children": "A first section"}], ["$", "p", null, {"children": "Semantic tokens name what a colour is for, not what it looks like, and so survive a redesign intact."}], ["$", "p", null, {"children": "Components read the tokens through the theme, which switches them for dark mode in one place."}]]}]
3:[["$", "title", null, {"children": "Tokens"}]]

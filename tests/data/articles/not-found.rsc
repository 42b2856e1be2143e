1:"$Sreact.fragment"
0:{"b":"nf","c":["","posts","gone"],"f":[[["",{"children":["posts",{"children":[["slug","gone","d"],{"children":["__PAGE__",{}]}]}]}],["",["$","html",null,{"lang":"en","children":["$","body",null,{"children":["$","main",null,{"children":["$","p",null,{"children":"This page could not be found, sorry about that, really."}]}]}]}],{},null,false],["$","$1","h",{"children":[["$","meta",null,{"name":"robots","content":"noindex"}],["$","title","0",{"children":"A Site"}]]}],false]]}
2:E{"digest":"NEXT_HTTP_ERROR_FALLBACK;404"}

0:["$","article",null,{"children":[["$","h1",null,{"children":"Half There"}],["$","p",null,{"children":"The first paragraph arrived, with enough text to be a body."}],"$L5"]}]
6:Tzz,abc

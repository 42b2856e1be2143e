0:["$","main",null,{"children":[["$","h1",null,{"children":"Gallery"}],["$","img",null,{"src":"/a.png","alt":""}]]}]

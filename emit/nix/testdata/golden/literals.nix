{ f, g, x, xs, y, a, b, c, d, e, name, pkgs }:
{
  ints = [
    0
    42
    (-1)
    9223372036854775807
    (-9223372036854775807 - 1)
  ];
  floats = [
    0.0
    1.0
    (-1.5)
    0.1
    1.0e+21
    1.0e-07
    1.7976931348623157e+308
    2.2250738585072014e-308
  ];
  neg = f (-1) (-2.5) (g 1);
  negOps = [ (-1) ] ++ [ (-2) ];
  paths = [
    ./modules
    ../x/y.nix
    ./a+b/c_d-e.f
    ./.
  ];
  empty = [
    { }
    [ ]
    ""
    ''
    ''
  ];
  emptySet = { };
  emptyList = [ ];
  bools = [
    true
    false
    null
  ];
  "a b".""."1password"."or"."if".__curPos.x'.a-b."\${x}"."é" = "quoted";
  sel = x.a."b c"."\${y}"."or"."let";
  selOr = f x.a or y.b or (-1);
  parenSel = (f x).y;
  selOfSelOr = (x.a or null).b;
  notApp = !f x;
  lambdaArg = builtins.map (x: x ++ [ 1 ]) xs;
  applyLambda = (x: x) 1;
  updateChain = a // b // c;
  updateLeft = (a // b) // c;
  eqNested = (a == b) == true;
  andOr = a && b || c && (d || e);
  raw = [
    pkgs.hello
    (f x)
    (with pkgs; [ git ])
  ];
  paren = (x);
  "rec" = rec {
    a = 1;
    b = a;
  };
  interp = "\${literal} and ${name}\$${pkgs.x}\"end\"\n";
}

/**
 * Ed25519 signature verification (RFC 8032, section 5.1.7) in PL/pgSQL, so the database itself can
 * check an author's proof of possession of a key: neither PGlite nor a stock PostgreSQL has an
 * Ed25519 primitive (pgcrypto has none either), and a check done only by the client would let any
 * author who sends raw SQL register someone else's public key.
 *
 * Arithmetic is on `numeric` (exact, arbitrary precision); points are in extended coordinates
 * (X, Y, Z, T) with the complete addition law, so doubling needs no special case. Only public data
 * is handled, so constant time does not matter. A verification costs some tens of milliseconds,
 * and happens once per author registration.
 */
export const ED25519_SQL = `
CREATE FUNCTION marketplace.ed_p() RETURNS numeric LANGUAGE sql IMMUTABLE
  AS $$ SELECT 57896044618658097711785492504343953926634992332820282019728792003956564819949::numeric $$;
CREATE FUNCTION marketplace.ed_l() RETURNS numeric LANGUAGE sql IMMUTABLE
  AS $$ SELECT 7237005577332262213973186563042994240857116359379907606001950938285454250989::numeric $$;

-- A little-endian byte string as an integer.
CREATE FUNCTION marketplace.ed_int(b bytea) RETURNS numeric LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  n numeric := 0;
BEGIN
  FOR i IN REVERSE length(b) - 1..0 LOOP
    n := n * 256 + get_byte(b, i);
  END LOOP;
  RETURN n;
END $$;

CREATE FUNCTION marketplace.ed_pow(base numeric, e numeric) RETURNS numeric LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  p constant numeric := marketplace.ed_p();
  result numeric := 1;
  b numeric := mod(base, p);
  k numeric := e;
BEGIN
  WHILE k > 0 LOOP
    IF mod(k, 2) = 1 THEN result := mod(result * b, p); END IF;
    b := mod(b * b, p);
    k := div(k, 2);
  END LOOP;
  RETURN result;
END $$;

CREATE FUNCTION marketplace.ed_add(a numeric[], b numeric[]) RETURNS numeric[] LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  p constant numeric := marketplace.ed_p();
  d2 constant numeric := 16295367250680780974490674513165176452449235426866156013048779062215315747161;
  aa numeric := mod((a[2] - a[1] + p) * (b[2] - b[1] + p), p);
  bb numeric := mod((a[2] + a[1]) * (b[2] + b[1]), p);
  cc numeric := mod(mod(a[4] * d2, p) * b[4], p);
  dd numeric := mod(2 * a[3] * b[3], p);
  e numeric := mod(bb - aa + p, p);
  f numeric := mod(dd - cc + p, p);
  g numeric := mod(dd + cc, p);
  h numeric := mod(bb + aa, p);
BEGIN
  RETURN ARRAY[mod(e * f, p), mod(g * h, p), mod(f * g, p), mod(e * h, p)];
END $$;

CREATE FUNCTION marketplace.ed_mul(k numeric, point numeric[]) RETURNS numeric[] LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  result numeric[] := ARRAY[0, 1, 1, 0]::numeric[];
  q numeric[] := point;
  n numeric := k;
BEGIN
  WHILE n > 0 LOOP
    IF mod(n, 2) = 1 THEN result := marketplace.ed_add(result, q); END IF;
    q := marketplace.ed_add(q, q);
    n := div(n, 2);
  END LOOP;
  RETURN result;
END $$;

-- Point decoding (RFC 8032, 5.1.3); NULL when the 32 bytes are not a point.
CREATE FUNCTION marketplace.ed_decode(b bytea) RETURNS numeric[] LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  p constant numeric := marketplace.ed_p();
  d constant numeric := 37095705934669439343138083508754565189542113879843219016388785533085940283555;
  sqrt_m1 constant numeric := 19681161376707505956807079304988542015446066515923890162744021073123829784752;
  sign integer;
  y numeric;
  u numeric;
  v numeric;
  x numeric;
  vxx numeric;
BEGIN
  IF length(b) <> 32 THEN RETURN NULL; END IF;
  sign := get_byte(b, 31) >> 7;
  y := marketplace.ed_int(set_byte(b, 31, get_byte(b, 31) & 127));
  IF y >= p THEN RETURN NULL; END IF;
  u := mod(y * y - 1 + p, p);
  v := mod(d * y * y + 1, p);
  x := mod(u * marketplace.ed_pow(v, 3) * marketplace.ed_pow(u * marketplace.ed_pow(v, 7), (p - 5) / 8), p);
  vxx := mod(v * x * x, p);
  IF vxx = mod(p - u, p) AND vxx <> u THEN
    x := mod(x * sqrt_m1, p);
  ELSIF vxx <> u THEN
    RETURN NULL;
  END IF;
  IF x = 0 AND sign = 1 THEN RETURN NULL; END IF;
  IF mod(x, 2) <> sign THEN x := p - x; END IF;
  RETURN ARRAY[x, y, 1, mod(x * y, p)];
END $$;

-- True when signature (64 bytes) is a valid Ed25519 signature of message by public_key (32 bytes).
CREATE FUNCTION marketplace.ed25519_verify(public_key bytea, message bytea, signature bytea) RETURNS boolean
  LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  p constant numeric := marketplace.ed_p();
  base constant numeric[] := ARRAY[
    15112221349535400772501151409588531511454012693041857206046113283949847762202,
    46316835694926478169428394003475163141307993866256225615783033603165251855960, 1,
    46827403850823179245072216630277197565144205554125654976674165829533817101731]::numeric[];
  a numeric[];
  r numeric[];
  s numeric;
  h numeric;
  lhs numeric[];
  rhs numeric[];
BEGIN
  IF length(public_key) <> 32 OR length(signature) <> 64 THEN RETURN false; END IF;
  a := marketplace.ed_decode(public_key);
  r := marketplace.ed_decode(substring(signature FROM 1 FOR 32));
  s := marketplace.ed_int(substring(signature FROM 33 FOR 32));
  IF a IS NULL OR r IS NULL OR s >= marketplace.ed_l() THEN RETURN false; END IF;
  h := mod(marketplace.ed_int(sha512(substring(signature FROM 1 FOR 32) || public_key || message)), marketplace.ed_l());
  lhs := marketplace.ed_mul(s, base);
  rhs := marketplace.ed_add(r, marketplace.ed_mul(h, a));
  RETURN mod(lhs[1] * rhs[3], p) = mod(rhs[1] * lhs[3], p) AND mod(lhs[2] * rhs[3], p) = mod(rhs[2] * lhs[3], p);
END $$;`;

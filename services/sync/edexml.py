"""EDEXML 2.1 (Edustandaard), the school administration packages' exchange format, parsed into
a Snapshot. Namespace-tolerant (elements are matched by local name) and hardened: no DTD, no
entities, no network, a size limit checked before parsing."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from services.sync.snapshot import (
    FORMAT_EDEXML,
    DeliveryError,
    Problem,
    SnapGroup,
    SnapPupil,
    SnapSchool,
    Snapshot,
    SnapStaff,
)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=True)


_LOCAL: dict[str, str] = {}


def _local(element) -> str:
    """The element's name without its namespace ('{uri}naam' -> 'naam'); comments and
    processing instructions have none. Cached: a national night asks millions of times."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    name = _LOCAL.get(tag)
    if name is None:
        name = tag.rpartition("}")[2]
        if len(_LOCAL) < 1000:  # a hostile file cannot grow it without bound
            _LOCAL[tag] = name
    return name


def _fields(element) -> dict:
    """An element's children by local name (the first of each name), in one pass."""
    out: dict = {}
    for child in element:
        out.setdefault(_local(child), child)
    return out


def _child(element, name: str):
    for child in element:
        if _local(child) == name:
            return child
    return None


def _children(element, name: str) -> list:
    return [child for child in element if _local(child) == name]


def _text(element, name: str) -> str:
    child = _child(element, name) if element is not None else None
    return (child.text or "").strip() if child is not None else ""


def _value(fields: dict, name: str) -> str:
    child = fields.get(name)
    return (child.text or "").strip() if child is not None else ""


def _as_utf8(data: bytes) -> bytes:
    """The document as UTF-8 for looking at its markup: a UTF-16 document (with its byte-order
    mark, or without one, told by the zero byte next to its first '<') decoded first."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "ignore").encode()
    if data.startswith(b"<\x00"):
        return data.decode("utf-16-le", "ignore").encode()
    if data.startswith(b"\x00<"):
        return data.decode("utf-16-be", "ignore").encode()
    return data


def parse_edexml(data: bytes, source: str) -> Snapshot:
    """Raises DeliveryError when the file is no well-formed, safe EDEXML document."""
    probe = _as_utf8(data).upper()
    if b"<!DOCTYPE" in probe[:4096] or b"<!ENTITY" in probe:
        raise DeliveryError(source, [Problem(0, "een DOCTYPE of ENTITY is niet toegestaan")])
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise DeliveryError(source, [Problem(exc.lineno or 0,
                                             f"geen geldige XML: {exc.msg}")]) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:  # however it was encoded
        raise DeliveryError(source, [Problem(0, "een DOCTYPE of ENTITY is niet toegestaan")])
    if _local(root) != "EDEX":
        raise DeliveryError(source, [Problem(root.sourceline or 0,
                                             f"het hoofdelement is <{_local(root)}>, "
                                             "niet <EDEX>")])
    school_el = _child(root, "school")
    if school_el is None:
        raise DeliveryError(source, [Problem(root.sourceline or 0, "<school> ontbreekt")])
    school = SnapSchool(
        brin=_text(school_el, "brincode").upper(),
        vestiging=_text(school_el, "dependancecode") or "00",
        name=_text(school_el, "schoolnaam") or _text(school_el, "naam") or None,
        school_year=_text(school_el, "schooljaar") or None,
        line=school_el.sourceline or 0,
    )
    groups: list[SnapGroup] = []
    groups_el = _child(root, "groepen")
    pupils_el = _child(root, "leerlingen")
    composite_levels: dict[str, set[str]] = {}
    pupils: list[SnapPupil] = []
    for el in _children(pupils_el, "leerling") if pupils_el is not None else ():
        # One pass over the pupil's children: several <groep> are kept (two stamgroepen is
        # a problem the validation reports), the other fields are taken once.
        found: dict = {}
        group_keys = []
        composites = None
        for child in el:
            name = _local(child)
            if name == "groep":
                group_keys.append((child.get("key") or "").strip())
            elif name == "samengestelde_groepen":
                composites = composites if composites is not None else child
            else:
                found.setdefault(name, child)
        composite_keys = tuple(c.get("key", "").strip()
                               for c in _children(composites, "samengestelde_groep")
                               ) if composites is not None else ()
        level = _value(found, "jaargroep")
        for key in composite_keys:
            composite_levels.setdefault(key, set()).add(level)
        pupils.append(SnapPupil(
            key=(el.get("key") or "").strip(), eck_id=(el.get("eckid") or "").strip() or None,
            first_name=_value(found, "roepnaam"), tussenvoegsel=_value(found, "voorvoegsel"),
            last_name=_value(found, "achternaam"), level=level,
            group_keys=tuple(group_keys), composite_keys=composite_keys,
            line=el.sourceline or 0,
        ))
    for el in list(groups_el) if groups_el is not None else ():
        kind = _local(el)
        if kind not in ("groep", "samengestelde_groep"):
            continue
        key = (el.get("key") or "").strip()
        if kind == "groep":
            levels = _text(el, "jaargroep")
        else:
            levels = "/".join(sorted(lv for lv in composite_levels.get(key, ()) if lv))
        groups.append(SnapGroup(key=key, name=_text(el, "naam"), levels=levels,
                                composite=kind == "samengestelde_groep",
                                line=el.sourceline or 0))
    staff: list[SnapStaff] = []
    staff_el = _child(root, "leerkrachten")
    for el in _children(staff_el, "leerkracht") if staff_el is not None else ():
        found = _fields(el)
        groups_of = found.get("groepen")
        keys = tuple((g.get("key") or "").strip()
                     for g in list(groups_of) if _local(g) in ("groep", "samengestelde_groep")
                     ) if groups_of is not None else ()
        staff.append(SnapStaff(
            key=(el.get("key") or "").strip(), first_name=_value(found, "roepnaam"),
            tussenvoegsel=_value(found, "voorvoegsel"), last_name=_value(found, "achternaam"),
            email=_value(found, "emailadres").lower() or None, roles=None, group_keys=keys,
            line=el.sourceline or 0,
        ))
    return Snapshot(format=FORMAT_EDEXML, source=source, school=school, groups=tuple(groups),
                    pupils=tuple(pupils), staff=tuple(staff))


def to_edexml(data: dict) -> bytes:
    """A Basispoort-shaped delivery (see docs/sync.md) written as EDEXML 2.1: what the demo's
    shipped deliveries and the sync benchmark are made with. EDEXML has no roles: staff who
    teach (a Leerkracht role or groups) become leerkrachten, the others are not in the file;
    the school's name is written only when the delivery has one."""
    inst = data["instelling"]
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<EDEX xmlns="http://www.edustandaard.nl/leerlinggegevens/2/1">', "  <school>",
           f"    <schooljaar>{escape(data['schooljaar'])}</schooljaar>",
           f"    <brincode>{escape(inst['brin'])}</brincode>",
           f"    <dependancecode>{escape(inst['vestiging'])}</dependancecode>",
           f"    <schoolkey>{escape(inst['brin'] + inst['vestiging'])}</schoolkey>"]
    if inst.get("naam"):
        out.append(f"    <schoolnaam>{escape(inst['naam'])}</schoolnaam>")
    out += ["  </school>", "  <groepen>"]
    for g in data["groepen"]:
        if g.get("samengesteld"):
            out += [f"    <samengestelde_groep key={quoteattr(g['key'])}>",
                    f"      <naam>{escape(g['naam'])}</naam>", "    </samengestelde_groep>"]
        else:
            out += [f"    <groep key={quoteattr(g['key'])}>",
                    f"      <naam>{escape(g['naam'])}</naam>",
                    f"      <jaargroep>{escape(g['jaargroep'])}</jaargroep>", "    </groep>"]
    out += ["  </groepen>", "  <leerlingen>"]
    for p in data["leerlingen"]:
        out += [f"    <leerling key={quoteattr(p['key'])} eckid={quoteattr(p['eckid'])}>",
                f"      <achternaam>{escape(p['achternaam'])}</achternaam>"]
        if p["voorvoegsel"]:
            out.append(f"      <voorvoegsel>{escape(p['voorvoegsel'])}</voorvoegsel>")
        out += [f"      <roepnaam>{escape(p['roepnaam'])}</roepnaam>",
                f"      <jaargroep>{escape(p['jaargroep'])}</jaargroep>"]
        keys = p["groep"] if isinstance(p["groep"], list) else [p["groep"]]
        out += [f"      <groep key={quoteattr(k)}/>" for k in keys]
        if p.get("samengestelde_groepen"):
            out.append("      <samengestelde_groepen>")
            out += [f"        <samengestelde_groep key={quoteattr(k)}/>"
                    for k in p["samengestelde_groepen"]]
            out.append("      </samengestelde_groepen>")
        out.append("    </leerling>")
    out += ["  </leerlingen>", "  <leerkrachten>"]
    for t in data["staf"]:
        if "Leerkracht" not in t["rollen"] and not t["groepen"]:
            continue
        out += [f"    <leerkracht key={quoteattr(t['key'])}>",
                f"      <achternaam>{escape(t['achternaam'])}</achternaam>"]
        if t["voorvoegsel"]:
            out.append(f"      <voorvoegsel>{escape(t['voorvoegsel'])}</voorvoegsel>")
        out += [f"      <roepnaam>{escape(t['roepnaam'])}</roepnaam>",
                f"      <emailadres>{escape(t['email'])}</emailadres>", "      <groepen>"]
        out += [f"        <groep key={quoteattr(k)}/>" for k in t["groepen"]]
        out += ["      </groepen>", "    </leerkracht>"]
    out += ["  </leerkrachten>", "</EDEX>", ""]
    return "\n".join(out).encode()

/* The story editor's own extension (django-prose-editor loads it as a module).

   Embeds: an address from a supported provider, pasted on its own, becomes
   an embed block. The server decides what the address stands for and
   refuses what it will not embed; the editor only keeps the address, shown
   as a block that moves and deletes as one.

   Paste: Word's lists arrive as paragraphs styled "mso-list" and a title
   as h1; they become lists and a sub-head before the editor's schema drops
   whatever else it does not know (fonts, styles, spans, images). */
import { Extension, Node as EditorNode, Plugin } from "django-prose-editor/editor"

const LONE_URL = /^https?:\/\/\S+$/
const ORDERED_MARKER = /^\s*(?:\d+|[a-z]|[ivx]+)[.)]/i

function rename(element, tag) {
  const renamed = element.ownerDocument.createElement(tag)
  renamed.append(...element.childNodes)
  element.replaceWith(renamed)
  return renamed
}

function wordLists(doc) {
  let list = null
  for (const paragraph of [...doc.querySelectorAll("p")]) {
    if (!/mso-list:/i.test(paragraph.getAttribute("style") || "")) {
      continue
    }
    const marker = paragraph.querySelector("span[style*='mso-list:Ignore' i]")
    if (!list || list.nextElementSibling !== paragraph) {
      const ordered = marker && ORDERED_MARKER.test(marker.textContent.replace(/\u00a0/g, " "))
      list = doc.createElement(ordered ? "ol" : "ul")
      paragraph.before(list)
    }
    marker?.remove()
    const item = doc.createElement("li")
    item.append(...paragraph.childNodes)
    list.append(item)
    paragraph.remove()
  }
}

/* Word's review comments, and their [JD1] markers, sit between two conditional comments. */
function wordAnnotations(doc) {
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_COMMENT)
  const starts = []
  while (walker.nextNode()) {
    if (/^\[if !supportAnnotations\]$/.test(walker.currentNode.data)) {
      starts.push(walker.currentNode)
    }
  }
  for (const start of starts) {
    let node = start.nextSibling
    while (node && !(node.nodeType === Node.COMMENT_NODE && /^\[endif\]$/.test(node.data))) {
      const next = node.nextSibling
      node.remove()
      node = next
    }
  }
}

/* The declarations of an element's style attribute, read from its text. */
function declarations(element) {
  const found = {}
  for (const part of (element.getAttribute("style") || "").split(";")) {
    const [name, ...value] = part.split(":")
    if (value.length) {
      found[name.trim().toLowerCase()] = value.join(":").trim().toLowerCase()
    }
  }
  return found
}

function wrapChildren(element, name) {
  const mark = element.ownerDocument.createElement(name)
  mark.append(...element.childNodes)
  element.append(mark)
}

/* Google Docs says bold and italic in style attributes, and wraps everything in a <b> that is
   not bold. Under the site's Content-Security-Policy the browser applies no style attribute, so
   the editor's parser cannot see them: the formatting becomes elements here instead. */
function styledFormatting(doc) {
  for (const element of [...doc.body.querySelectorAll("[style]")]) {
    const style = declarations(element)
    const weight = style["font-weight"] || ""
    if (element.localName === "b" && /^(normal|[1-4]00)$/.test(weight)) {
      element.replaceWith(...element.childNodes)
      continue
    }
    if (/^(bold(er)?|[5-9]\d{2,})$/.test(weight)) {
      wrapChildren(element, "strong")
    }
    if (style["font-style"] === "italic") {
      wrapChildren(element, "em")
    }
  }
}

function cleanPastedHTML(html) {
  const doc = new DOMParser().parseFromString(html, "text/html")
  wordAnnotations(doc)
  styledFormatting(doc)
  doc.querySelectorAll("h1").forEach((heading) => rename(heading, "h2"))
  wordLists(doc)
  return doc.body.innerHTML
}

function hostOf(text) {
  try {
    return new URL(text).hostname.toLowerCase()
  } catch {
    return ""
  }
}

function stored(name) {
  return {
    default: "",
    parseHTML: (element) => element.getAttribute(`data-${name}`) || "",
    renderHTML: () => ({}),
  }
}

export const Embed = EditorNode.create({
  name: "embed",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return { hosts: [], label: "Embed:" }
  },

  addAttributes() {
    return { provider: stored("embed"), embedId: stored("id"), url: stored("url") }
  },

  parseHTML() {
    return [{ tag: "figure[data-embed]" }]
  },

  renderHTML({ node }) {
    return [
      "figure",
      { "data-embed": node.attrs.provider, "data-id": node.attrs.embedId, "data-url": node.attrs.url },
    ]
  },

  addNodeView() {
    const text = this.options.label + " "
    return ({ node }) => {
      const dom = document.createElement("figure")
      dom.className = "body-embed"
      dom.contentEditable = "false"
      const label = document.createElement("strong")
      label.textContent = text
      dom.append(label, node.attrs.url)
      return { dom }
    }
  },

  addProseMirrorPlugins() {
    const editor = this.editor
    const hosts = new Set(this.options.hosts)
    return [
      new Plugin({
        props: {
          transformPastedHTML: cleanPastedHTML,
          handlePaste(view, event) {
            const text = (event.clipboardData?.getData("text/plain") || "").trim()
            if (!LONE_URL.test(text) || !hosts.has(hostOf(text))) {
              return false
            }
            editor.chain().focus().insertContent({ type: "embed", attrs: { url: text } }).run()
            return true
          },
        },
      }),
    ]
  },
})

/* The editable area takes the name of the field's label, so that assistive
   technology announces "Body" and not an anonymous text box. */
export const FieldLabel = Extension.create({
  name: "fieldLabel",

  onCreate() {
    const textarea = this.editor.view.dom.closest(".prose-editor")?.querySelector("textarea")
    const label = textarea && document.querySelector(`label[for="${textarea.id}"]`)
    if (label) {
      this.editor.view.dom.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim())
    }
  },
})

"""The body blocks a page of the stand-in is made of: headings, rich text, captioned images, quotes."""

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False)
    attribution = blocks.CharBlock(required=False)

    class Meta:
        template = "blocks/captioned_image_block.html"


class HeadingBlock(blocks.StructBlock):
    heading_text = blocks.CharBlock()
    size = blocks.ChoiceBlock(choices=[("h2", "H2"), ("h3", "H3"), ("h4", "H4")], required=False)

    class Meta:
        template = "blocks/heading_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribute_name = blocks.CharBlock(required=False)

    class Meta:
        template = "blocks/blockquote.html"


class BodyBlock(blocks.StreamBlock):
    heading_block = HeadingBlock()
    paragraph_block = blocks.RichTextBlock(template="blocks/paragraph_block.html")
    image_block = CaptionedImageBlock()
    block_quote = QuoteBlock()

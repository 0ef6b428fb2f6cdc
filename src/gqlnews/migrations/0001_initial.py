from tortoise import migrations
from tortoise.migrations import operations as ops
from gqlnews.models.enums import ArticleStatus, Genre, TagKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Image',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('url', fields.CharField(max_length=1000)),
                ('credit', fields.CharField(default='', max_length=255)),
                ('byline', fields.CharField(default='', max_length=255)),
                ('caption', fields.TextField(default='', unique=False)),
                ('alt', fields.CharField(default='', max_length=500)),
                ('width', fields.IntField(null=True)),
                ('height', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'image', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Author',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=100)),
                ('name', fields.CharField(max_length=200)),
                ('bio', fields.TextField(default='', unique=False)),
                ('role', fields.CharField(default='', max_length=100)),
                ('email', fields.CharField(null=True, max_length=254)),
                ('avatar', fields.ForeignKeyField('models.Image', source_field='avatar_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'author', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Edition',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('number', fields.IntField(unique=True)),
                ('date', fields.DateField(unique=True)),
                ('title', fields.CharField(max_length=300)),
                ('cover', fields.ForeignKeyField('models.Image', source_field='cover_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('page_count', fields.IntField(default=0)),
                ('pdf_url', fields.CharField(null=True, max_length=1000)),
            ],
            options={'table': 'edition', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Section',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=100)),
                ('name', fields.CharField(max_length=200)),
                ('description', fields.TextField(default='', unique=False)),
                ('position', fields.IntField(default=0)),
                ('parent', fields.ForeignKeyField('models.Section', source_field='parent_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='children', on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'section', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Supplement',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=150)),
                ('title', fields.CharField(max_length=300)),
                ('description', fields.TextField(default='', unique=False)),
                ('date', fields.DateField(db_index=True)),
                ('cover', fields.ForeignKeyField('models.Image', source_field='cover_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('edition', fields.ForeignKeyField('models.Edition', source_field='edition_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='supplements', on_delete=OnDelete.SET_NULL)),
                ('section', fields.ForeignKeyField('models.Section', source_field='section_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('page_count', fields.IntField(default=0)),
            ],
            options={'table': 'supplement', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Article',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('uri', fields.CharField(null=True, unique=True, max_length=500)),
                ('slug', fields.CharField(unique=True, max_length=255)),
                ('title', fields.CharField(max_length=500)),
                ('subtitle', fields.TextField(default='', unique=False)),
                ('excerpt', fields.TextField(default='', unique=False)),
                ('body_html', fields.TextField(default='', unique=False)),
                ('body_text', fields.TextField(default='', unique=False)),
                ('word_count', fields.IntField(default=0)),
                ('dateline', fields.CharField(default='', max_length=200)),
                ('genre', fields.CharEnumField(default=Genre.NEWS, description='NEWS: news\nREPORT: report\nANALYSIS: analysis\nINTERVIEW: interview\nINVESTIGATION: investigation\nPORTRAIT: portrait\nOPINION: opinion\nCHRONICLE: chronicle\nEDITORIAL: editorial\nBRIEF: brief', enum_type=Genre, max_length=20)),
                ('language', fields.CharField(default='fr', max_length=12)),
                ('status', fields.CharEnumField(default=ArticleStatus.DRAFT, description='DRAFT: draft\nREVIEW: review\nSCHEDULED: scheduled\nPUBLISHED: published\nUNPUBLISHED: unpublished', enum_type=ArticleStatus, max_length=20)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('embargo_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('primary_section', fields.ForeignKeyField('models.Section', source_field='primary_section_id', db_index=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('image', fields.ForeignKeyField('models.Image', source_field='image_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('edition', fields.ForeignKeyField('models.Edition', source_field='edition_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('supplement', fields.ForeignKeyField('models.Supplement', source_field='supplement_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('page', fields.IntField(null=True)),
                ('print_position', fields.IntField(default=0)),
                ('view_count', fields.BigIntField(default=0)),
            ],
            options={'table': 'article', 'app': 'models', 'indexes': [Index(fields=['status', 'published_at'], name='article_status_pub_idx'), Index(fields=['published_at'], name='article_published_idx'), Index(fields=['edition_id', 'page'], name='article_edition_page_idx'), Index(fields=['supplement_id', 'page'], name='article_supplement_page_idx'), Index(fields=['genre', 'published_at'], name='article_genre_pub_idx')], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ArticleAuthor',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('article', fields.ForeignKeyField('models.Article', source_field='article_id', db_constraint=True, to_field='id', related_name='author_links', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('models.Author', source_field='author_id', db_constraint=True, to_field='id', related_name='article_links', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField(default=0)),
            ],
            options={'table': 'article_author', 'app': 'models', 'unique_together': (('article_id', 'author_id'),), 'indexes': [Index(fields=['author_id', 'article_id'], name='article_author_aut_idx')], 'pk_attr': 'id', 'table_description': "An article's byline, in order."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ArticleSection',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('article', fields.ForeignKeyField('models.Article', source_field='article_id', db_constraint=True, to_field='id', related_name='section_links', on_delete=OnDelete.CASCADE)),
                ('section', fields.ForeignKeyField('models.Section', source_field='section_id', db_constraint=True, to_field='id', related_name='article_links', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField(default=0)),
            ],
            options={'table': 'article_section', 'app': 'models', 'unique_together': (('article_id', 'section_id'),), 'indexes': [Index(fields=['section_id', 'article_id'], name='article_section_sec_idx')], 'pk_attr': 'id', 'table_description': "An article's membership of a section (position 0 is the primary section)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Tag',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=100)),
                ('name', fields.CharField(max_length=200)),
                ('kind', fields.CharEnumField(default=TagKind.THEME, description='THEME: theme\nPLACE: place\nORGANISATION: organisation\nPERSON: person', enum_type=TagKind, max_length=20)),
            ],
            options={'table': 'tag', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ArticleTag',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('article', fields.ForeignKeyField('models.Article', source_field='article_id', db_constraint=True, to_field='id', related_name='tag_links', on_delete=OnDelete.CASCADE)),
                ('tag', fields.ForeignKeyField('models.Tag', source_field='tag_id', db_constraint=True, to_field='id', related_name='article_links', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField(default=0)),
            ],
            options={'table': 'article_tag', 'app': 'models', 'unique_together': (('article_id', 'tag_id'),), 'indexes': [Index(fields=['tag_id', 'article_id'], name='article_tag_tag_idx')], 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]

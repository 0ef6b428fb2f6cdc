from tortoise import migrations
from tortoise.migrations import operations as ops
from gqlnews.models.enums import TokenKind, UserRole
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0002_search')]

    initial = False

    operations = [
        ops.CreateModel(
            name='User',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('email', fields.CharField(unique=True, max_length=254)),
                ('name', fields.CharField(max_length=200)),
                ('role', fields.CharEnumField(description='ADMIN: admin\nEDITOR: editor\nAUTHOR: author\nCONTRIBUTOR: contributor', enum_type=UserRole, max_length=20)),
                ('password_hash', fields.CharField(default='', max_length=255)),
                ('is_active', fields.BooleanField(default=True)),
                ('author', fields.ForeignKeyField('models.Author', source_field='author_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('last_login_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'account_user', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A newsroom account: who may sign in and what their role lets them do.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AccessToken',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_index=True, db_constraint=True, to_field='id', related_name='tokens', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='SESSION: session\nAPI: api', enum_type=TokenKind, max_length=10)),
                ('name', fields.CharField(default='', max_length=100)),
                ('prefix', fields.CharField(unique=True, max_length=12)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'access_token', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A bearer token of a user, kept as a SHA-256 hash with a short public prefix.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Article',
            name='created_by',
            field=fields.ForeignKeyField('models.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL),
        ),
        ops.AddIndex(
            model_name='Article',
            index=Index(fields=['created_by_id'], name='article_created_by_idx'),
        ),
    ]

from django.db import migrations, models


def curators_keep_the_department(apps, schema_editor):
    """Curators may now change their municipality (the admin lets them edit the department
    only)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label="participants",
                                           codename="change_municipality").first()
    curator = Group.objects.filter(name="Куратор").first()
    if permission and curator:
        curator.permissions.add(permission)


def undo(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    curator = Group.objects.filter(name="Куратор").first()
    if curator:
        curator.permissions.remove(*curator.permissions.filter(codename="change_municipality"))


class Migration(migrations.Migration):

    dependencies = [
        ('participants', '0007_mentorprofile_capacity'),
    ]

    operations = [
        migrations.AddField(
            model_name='municipality',
            name='department',
            field=models.CharField(blank=True, help_text='Как он называется в шапке отчётов и на сертификатах, например «Управление образования администрации Ханкайского муниципального округа».', max_length=300, verbose_name='орган управления образованием'),
        ),
        migrations.RunPython(curators_keep_the_department, undo),
    ]
